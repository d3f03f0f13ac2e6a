-- QA score over time: per week (Monday start, local time) the reviews, mean score, red-line fails
-- and the scores (for the interval).
WITH reviewed AS (/*reviewed_calls*/)
SELECT strftime(date_trunc('week', r.enqueued_at), '%Y-%m-%d') AS week,
       count(*) AS reviews,
       avg(r.score) AS mean_score,
       count(*) FILTER (WHERE r.critical_failed) AS critical_fails,
       list(r.score) FILTER (WHERE r.score IS NOT NULL) AS scores
FROM reviewed r
GROUP BY 1 ORDER BY 1
