-- The like-for-like query: all of queries/metrics/call_kpis.sql (with call_facts.sql) for
-- group_by=none, per day ($interval = 'day') or for the whole range ($interval = 'total'), in
-- SQLite. The overview runs call_kpis twice (the headline figures for the range, calls_per_day
-- per day) and so computes first-contact resolution and occupancy that the page does not show;
-- this query does the same work, so its time compares with DuckDB's for the same job.
-- Timestamps, ranges and local days as in overview.sql.
WITH RECURSIVE days(day, day_start) AS (
  SELECT $from, $from_epoch
  UNION ALL
  SELECT date(day, '+1 day'), day_start + 86400 FROM days WHERE day < $to
),
buckets(bucket, bucket_start, bucket_end) AS (
  SELECT day, day_start, day_start + 86400 FROM days WHERE $interval = 'day'
  UNION ALL
  SELECT $from, $from_epoch, $to_epoch WHERE $interval = 'total'
),
scoped AS (
  SELECT c.rowid AS id, c.direction, c.disposition, c.agent_id, c.enqueued_at, c.answered_at,
         c.wait_s, c.talk_s, c.hold_s, c.wrap_s, c.talk_s + c.hold_s + c.wrap_s AS handle_s, c.survey_score,
         CASE $interval WHEN 'day' THEN date(c.enqueued_at + $utc_offset_s, 'unixepoch') ELSE $from END AS bucket
  FROM calls c
  WHERE c.enqueued_at >= $from_epoch AND c.enqueued_at < $to_epoch
    AND ($queue IS NULL OR c.queue_id = $queue)
),
next_contact AS (
  -- Each inbound call's next inbound call from the same number, looking past the range by the window.
  SELECT rowid AS id, lead(enqueued_at) OVER (PARTITION BY caller_number ORDER BY enqueued_at, call_id) AS next_at
  FROM calls
  WHERE direction = 'inbound' AND caller_number IS NOT NULL
    AND enqueued_at >= $from_epoch AND enqueued_at < $to_epoch + $fcr_window_days * 86400
),
facts AS (
  SELECT s.*,
    CASE
      WHEN s.direction <> 'inbound' OR s.answered_at IS NULL OR n.id IS NULL THEN NULL
      WHEN n.next_at IS NOT NULL AND n.next_at <= s.enqueued_at + $fcr_window_days * 86400 THEN 'repeat'
      WHEN s.enqueued_at + $fcr_window_days * 86400 > (SELECT max(enqueued_at) FROM calls) THEN 'pending'
      ELSE 'resolved'
    END AS fcr_status
  FROM scoped s
  LEFT JOIN next_contact n ON n.id = s.id
),
call_agg AS (
  SELECT
    bucket,
    count(*) FILTER (WHERE direction = 'inbound') AS offered,
    count(*) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL) AS answered,
    count(*) FILTER (WHERE direction = 'inbound' AND disposition = 'abandoned') AS abandoned,
    count(*) FILTER (WHERE direction = 'inbound' AND disposition = 'abandoned' AND wait_s < $short_abandon_s) AS short_abandoned,
    count(*) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL AND wait_s <= $threshold_s) AS sl_within,
    count(*) FILTER (WHERE direction = 'inbound' AND CASE $sl_variant
      WHEN 'answered_only' THEN answered_at IS NOT NULL
      WHEN 'late_abandons_against' THEN NOT (disposition = 'abandoned' AND wait_s <= $threshold_s)
      WHEN 'short_abandons_excluded' THEN NOT (disposition = 'abandoned' AND wait_s < $short_abandon_s)
      ELSE 1
    END) AS sl_denominator,
    coalesce(sum(wait_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS answered_wait_s,
    max(wait_s) FILTER (WHERE direction = 'inbound') AS longest_wait_s,
    coalesce(sum(talk_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS talk_s_total,
    coalesce(sum(hold_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS hold_s_total,
    coalesce(sum(wrap_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS wrap_s_total,
    coalesce(sum(handle_s * handle_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS handle_s_sq_total,
    count(*) FILTER (WHERE direction = 'inbound' AND disposition = 'transferred') AS transferred,
    count(*) FILTER (WHERE fcr_status IN ('resolved', 'repeat')) AS fcr_judged,
    count(*) FILTER (WHERE fcr_status = 'resolved') AS fcr_resolved,
    count(*) FILTER (WHERE fcr_status = 'pending') AS fcr_pending,
    coalesce(sum(handle_s) FILTER (WHERE agent_id IS NOT NULL AND answered_at IS NOT NULL), 0) AS busy_s,
    count(survey_score) AS responses,
    count(*) FILTER (WHERE survey_score >= 4) AS satisfied,
    coalesce(sum(survey_score), 0) AS score_sum
  FROM facts
  GROUP BY bucket
),
shift_agg AS (
  -- Scheduled seconds inside each bucket (a night shift counts on both days); not per queue.
  SELECT b.bucket, sum(min(sh.ends_at, b.bucket_end) - max(sh.starts_at, b.bucket_start)) AS shift_s
  FROM buckets b
  JOIN shifts sh ON sh.starts_at < b.bucket_end AND sh.ends_at > b.bucket_start
  WHERE $queue IS NULL
  GROUP BY b.bucket
)
SELECT
  b.bucket AS day,
  coalesce(m.offered, 0) AS offered,
  coalesce(m.answered, 0) AS answered,
  1.0 * m.answered / nullif(m.offered, 0) AS answer_rate,
  coalesce(m.abandoned, 0) AS abandoned,
  1.0 * m.abandoned / nullif(m.offered, 0) AS abandon_rate,
  coalesce(m.short_abandoned, 0) AS short_abandoned,
  coalesce(m.sl_within, 0) AS sl_within,
  coalesce(m.sl_denominator, 0) AS sl_denominator,
  1.0 * m.sl_within / nullif(m.sl_denominator, 0) AS service_level,
  m.answered_wait_s / nullif(m.answered, 0) AS asa_s,
  m.longest_wait_s,
  (m.talk_s_total + m.hold_s_total + m.wrap_s_total) / nullif(m.answered, 0) AS aht_s,
  m.talk_s_total / nullif(m.answered, 0) AS talk_s,
  m.hold_s_total / nullif(m.answered, 0) AS hold_s,
  m.wrap_s_total / nullif(m.answered, 0) AS wrap_s,
  coalesce(m.handle_s_sq_total, 0) AS handle_s_sq_total,
  coalesce(m.transferred, 0) AS transferred,
  1.0 * m.transferred / nullif(m.answered, 0) AS transfer_rate,
  coalesce(m.fcr_judged, 0) AS fcr_judged,
  coalesce(m.fcr_resolved, 0) AS fcr_resolved,
  coalesce(m.fcr_pending, 0) AS fcr_pending,
  1.0 * m.fcr_resolved / nullif(m.fcr_judged, 0) AS fcr,
  CASE WHEN $queue IS NULL THEN coalesce(m.busy_s, 0) END AS busy_s,
  CASE WHEN $queue IS NULL THEN coalesce(sa.shift_s, 0) END AS shift_s,
  CASE WHEN $queue IS NULL THEN coalesce(m.busy_s, 0) / nullif(sa.shift_s, 0) END AS occupancy,
  coalesce(m.responses, 0) AS responses,
  coalesce(m.satisfied, 0) AS satisfied,
  1.0 * m.satisfied / nullif(m.responses, 0) AS satisfaction,
  1.0 * m.score_sum / nullif(m.responses, 0) AS mean_score
FROM buckets b
LEFT JOIN call_agg m ON m.bucket = b.bucket
LEFT JOIN shift_agg sa ON sa.bucket = b.bucket
ORDER BY b.bucket
