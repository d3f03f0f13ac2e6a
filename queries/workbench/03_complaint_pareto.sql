-- title.zh: 投诉原因帕累托
-- title.en: Complaint Pareto
-- description.zh: 按原因统计投诉工单，从多到少排列，并给出累计占比（找出造成 80% 投诉的少数原因）
-- description.en: Complaint tickets per root cause, most frequent first, with the cumulative share (the few causes behind 80% of complaints)
WITH by_cause AS (
  SELECT coalesce(cause_group, '?') AS cause_group, coalesce(cause, '?') AS cause, count(*) AS complaints
  FROM tickets
  WHERE type = 'complaint'
  GROUP BY ALL
)
SELECT
  cause_group,
  cause,
  complaints,
  round(100.0 * sum(complaints) OVER (ORDER BY complaints DESC, cause ROWS UNBOUNDED PRECEDING) / sum(complaints) OVER (), 1) AS cumulative_pct
FROM by_cause
ORDER BY complaints DESC, cause
