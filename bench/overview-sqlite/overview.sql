-- zhijian's overview (web/lib/server/overview.ts: the data's extent, the headline metrics read
-- from queries/metrics/call_kpis.sql for interval=total, group_by=none; and
-- queries/metrics/calls_per_day.sql) written for SQLite, giving the same figures.
-- Timestamps are Unix seconds; a local date range [$from, $to] of the center's zone is
-- [$from_epoch, $to_epoch) and a call's local day is date(enqueued_at + $utc_offset_s).
-- (SQLite has no time-zone database: the caller passes the zone's offset and checks that it
-- does not change inside the range; Asia/Shanghai has had no daylight saving time since 1991.)
-- Integer ÷ integer truncates in SQLite, hence the 1.0 * in the shares.

-- statement: extent
SELECT
  date((SELECT min(enqueued_at) FROM calls) + $utc_offset_s, 'unixepoch') AS first,
  date((SELECT max(enqueued_at) FROM calls) + $utc_offset_s, 'unixepoch') AS last,
  (SELECT count(*) FROM calls) AS calls;

-- statement: figures
WITH agg AS (
  SELECT
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
    coalesce(sum(talk_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS talk_s_total,
    coalesce(sum(hold_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS hold_s_total,
    coalesce(sum(wrap_s) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL), 0) AS wrap_s_total,
    count(survey_score) AS responses,
    count(*) FILTER (WHERE survey_score >= 4) AS satisfied,
    coalesce(sum(survey_score), 0) AS score_sum
  FROM calls
  WHERE enqueued_at >= $from_epoch AND enqueued_at < $to_epoch
    AND ($queue IS NULL OR queue_id = $queue)
)
SELECT
  offered,
  answered,
  1.0 * answered / nullif(offered, 0) AS answer_rate,
  abandoned,
  1.0 * abandoned / nullif(offered, 0) AS abandon_rate,
  short_abandoned,
  sl_within,
  sl_denominator,
  1.0 * sl_within / nullif(sl_denominator, 0) AS service_level,
  answered_wait_s / nullif(answered, 0) AS asa_s,
  (talk_s_total + hold_s_total + wrap_s_total) / nullif(answered, 0) AS aht_s,
  talk_s_total / nullif(answered, 0) AS talk_s,
  hold_s_total / nullif(answered, 0) AS hold_s,
  wrap_s_total / nullif(answered, 0) AS wrap_s,
  responses,
  satisfied,
  1.0 * satisfied / nullif(responses, 0) AS satisfaction,
  1.0 * score_sum / nullif(responses, 0) AS mean_score
FROM agg;

-- statement: calls_per_day
WITH RECURSIVE days(day) AS (
  SELECT $from
  UNION ALL
  SELECT date(day, '+1 day') FROM days WHERE day < $to
),
per_day AS (
  SELECT
    date(enqueued_at + $utc_offset_s, 'unixepoch') AS day,
    count(*) FILTER (WHERE direction = 'inbound') AS offered,
    count(*) FILTER (WHERE direction = 'inbound' AND answered_at IS NOT NULL) AS answered,
    count(*) FILTER (WHERE direction = 'inbound' AND disposition = 'abandoned') AS abandoned
  FROM calls
  WHERE enqueued_at >= $from_epoch AND enqueued_at < $to_epoch
    AND ($queue IS NULL OR queue_id = $queue)
  GROUP BY 1
)
SELECT d.day, coalesce(p.offered, 0) AS offered, coalesce(p.answered, 0) AS answered, coalesce(p.abandoned, 0) AS abandoned
FROM days d
LEFT JOIN per_day p ON p.day = d.day
ORDER BY d.day;
