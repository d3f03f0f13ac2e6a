-- QA score by agent, by team and by queue: reviews, mean score, critical (red-line) fails and the
-- scores themselves (for the confidence interval, computed by the caller).
WITH reviewed AS (/*reviewed_calls*/)
SELECT CASE WHEN grouping(r.agent_id) = 0 THEN 'agent' WHEN grouping(r.team_id) = 0 THEN 'team' ELSE 'queue' END AS dimension,
       coalesce(r.agent_id, r.team_id, r.queue_id) AS key,
       CASE WHEN grouping(r.agent_id) = 0 THEN any_value(a.name) WHEN grouping(r.team_id) = 0 THEN any_value(t.name) ELSE any_value(q.name) END AS name,
       count(*) AS reviews,
       avg(r.score) AS mean_score,
       count(*) FILTER (WHERE r.critical_failed) AS critical_fails,
       list(r.score ORDER BY r.score) FILTER (WHERE r.score IS NOT NULL) AS scores
FROM reviewed r
LEFT JOIN agents a ON a.agent_id = r.agent_id
LEFT JOIN teams t ON t.team_id = r.team_id
LEFT JOIN queues q ON q.queue_id = r.queue_id
GROUP BY GROUPING SETS ((r.agent_id), (r.team_id), (r.queue_id))
HAVING coalesce(r.agent_id, r.team_id, r.queue_id) IS NOT NULL
ORDER BY dimension, mean_score
