-- name: complaint_funnel
-- description.zh: 投诉处理漏斗：受理 → 判断 → 调查 → 方案 → 实施 → 回访 → 结案，各环节到达的投诉数与停滞在该环节的未结投诉数
-- description.en: Complaint life-cycle funnel: intake → judged → investigated → solution → implemented → callback → closed, complaints that reached each stage and open complaints stalled there
-- formula.zh: 区间内受理且未被判为无效的投诉；reached = 有该环节事件的投诉数；stalled = 尚未结案、最远到达该环节的投诉数；median_hours = 从上一环节首次事件到本环节首次事件的中位小时数
-- formula.en: complaints opened in the range and not judged invalid; reached = complaints with an event of that stage; stalled = complaints not closed whose furthest stage is that one; median_hours = median hours from the previous stage's first event to this stage's first event
-- unit: table
-- extends: complaint_scope
WITH firsts AS (
  SELECT e.ticket_id,
    min(e.occurred_at) FILTER (WHERE e.event = 'intake') AS intake,
    min(e.occurred_at) FILTER (WHERE e.event = 'judged') AS judged,
    min(e.occurred_at) FILTER (WHERE e.event = 'investigated') AS investigated,
    min(e.occurred_at) FILTER (WHERE e.event = 'solution') AS solution,
    min(e.occurred_at) FILTER (WHERE e.event = 'implemented') AS implemented,
    min(e.occurred_at) FILTER (WHERE e.event = 'callback') AS callback,
    min(e.occurred_at) FILTER (WHERE e.event = 'closed') AS closed,
    bool_or(e.event = 'judged' AND e.result = 'invalid') AS invalid
  FROM ticket_events e JOIN base f ON f.ticket_id = e.ticket_id GROUP BY e.ticket_id
),
valid AS (
  SELECT f.ticket_id, coalesce(x.intake, f.opened_at) AS intake, x.judged, x.investigated, x.solution, x.implemented, x.callback, x.closed
  FROM base f LEFT JOIN firsts x USING (ticket_id) WHERE NOT coalesce(x.invalid, false)
),
stages AS (
  SELECT ticket_id, 'intake' AS stage, 1 AS pos, intake AS reached_at, NULL::TIMESTAMPTZ AS prev_at FROM valid
  UNION ALL SELECT ticket_id, 'judged', 2, judged, intake FROM valid
  UNION ALL SELECT ticket_id, 'investigated', 3, investigated, judged FROM valid
  UNION ALL SELECT ticket_id, 'solution', 4, solution, investigated FROM valid
  UNION ALL SELECT ticket_id, 'implemented', 5, implemented, solution FROM valid
  UNION ALL SELECT ticket_id, 'callback', 6, callback, implemented FROM valid
  UNION ALL SELECT ticket_id, 'closed', 7, closed, callback FROM valid
),
furthest AS (
  SELECT ticket_id, max(pos) FILTER (WHERE reached_at IS NOT NULL) AS pos, bool_or(stage = 'closed' AND reached_at IS NOT NULL) AS closed FROM stages GROUP BY ticket_id
)
SELECT s.stage, s.pos AS position, count(*) FILTER (WHERE s.reached_at IS NOT NULL) AS reached,
       count(*) FILTER (WHERE NOT fu.closed AND fu.pos = s.pos) AS stalled,
       median(epoch(s.reached_at - s.prev_at) / 3600) FILTER (WHERE s.reached_at IS NOT NULL AND s.prev_at IS NOT NULL) AS median_hours
FROM stages s JOIN furthest fu USING (ticket_id)
GROUP BY s.stage, s.pos ORDER BY s.pos;
