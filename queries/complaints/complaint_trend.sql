-- name: complaint_trend
-- description.zh: 投诉原因趋势：每周（或每月）各原因的投诉数，以及后半段相对前半段的占比变化，看哪些原因在增长
-- description.en: Complaint causes over time: complaints per cause per week (or month), and the change of each cause's share from the first half of the range to the second, to see which causes grow
-- formula.zh: 区间内受理的投诉按受理时间所在周（周一开始）或月与有效原因计数；growth = 后半段该原因占比 − 前半段该原因占比（以区间内第一条与最后一条投诉的中点为界）
-- formula.en: complaints opened in the range counted by the week (from Monday) or month of intake and by effective cause; growth = the cause's share of complaints in the second half minus its share in the first half (split at the midpoint between the first and last complaint of the range)
-- unit: table
-- extends: complaint_scope
-- params:
--   interval choice(week|month) week
WITH mid AS (SELECT to_timestamp((epoch(min(opened_at)) + epoch(max(opened_at))) / 2) AS mid_at FROM base f),
halves AS (
  SELECT f.cause,
         count(*) FILTER (WHERE f.opened_at < mid.mid_at) / nullif(sum(count(*) FILTER (WHERE f.opened_at < mid.mid_at)) OVER (), 0) AS share_first,
         count(*) FILTER (WHERE f.opened_at >= mid.mid_at) / nullif(sum(count(*) FILTER (WHERE f.opened_at >= mid.mid_at)) OVER (), 0) AS share_second
  FROM base f, mid GROUP BY f.cause
)
SELECT strftime(date_trunc($interval::VARCHAR, f.opened_at::TIMESTAMP), '%Y-%m-%d') AS bucket, f.cause, count(*) AS complaints,
       any_value(h.share_first) AS share_first, any_value(h.share_second) AS share_second,
       any_value(h.share_second) - any_value(h.share_first) AS growth
FROM base f LEFT JOIN halves h ON h.cause IS NOT DISTINCT FROM f.cause
GROUP BY bucket, f.cause
ORDER BY bucket, f.cause NULLS LAST;
