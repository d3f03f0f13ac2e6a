-- name: star_components
-- description.zh: 明星榜的各项原始数据：每位坐席在区间内的质检分、满意度、首次解决、处理时长、接听量与针对其电话的服务类投诉
-- description.en: The star list's raw components per agent over a range: QA score, satisfaction, first-contact resolution, handle time, calls answered and service complaints on the agent's calls
-- formula.zh: 取自 call_kpis（按坐席、整个区间）：接听量、满意（4、5 分）与回复数、首次解决与可判定数、处理秒数及其平方和；质检 = 坐席电话（按进入队列时间在区间内）每条质检记录最新版本中已提交或已仲裁的分数（0–100）；投诉 = 关联到坐席所接电话、原因大类为"服务"的投诉工单数（按受理时间在区间内）
-- formula.en: from call_kpis (per agent, whole range): calls answered, satisfied (4 or 5) and responses, FCR resolved and judged, handle seconds and their sum of squares; QA = the latest version of each submitted or arbitrated review of the agent's calls (entered the queue in the range), score 0–100; complaints = complaint tickets opened in the range, linked to a call the agent handled, with cause group "service" (服务)
-- unit: table
-- extends: call_kpis
-- fixed: interval=total group_by=agent
WITH qa AS (
  SELECT r.agent_id, count(*) AS qa_reviews, sum(r.score) AS qa_score_sum, sum(r.score ^ 2) AS qa_score_sq_sum
  FROM (
    SELECT *, row_number() OVER (PARTITION BY review_id ORDER BY version DESC) AS latest
    FROM qa_reviews
  ) r
  JOIN calls c ON c.call_id = r.call_id
  WHERE r.latest = 1
    AND r.status IN ('submitted', 'arbitrated')
    AND r.score IS NOT NULL
    AND c.enqueued_at >= $from::DATE::TIMESTAMPTZ
    AND c.enqueued_at < ($to::DATE + 1)::TIMESTAMPTZ
  GROUP BY r.agent_id
),
complaints AS (
  SELECT c.agent_id, count(*) AS complaints
  FROM tickets t
  JOIN calls c ON c.call_id = t.call_id
  WHERE t.type = 'complaint'
    AND t.cause_group IN ('service', '服务')
    AND t.opened_at >= $from::DATE::TIMESTAMPTZ
    AND t.opened_at < ($to::DATE + 1)::TIMESTAMPTZ
  GROUP BY c.agent_id
)
SELECT
  b.group_key AS agent_id,
  b.group_name AS agent_name,
  a.team_id,
  tm.name AS team_name,
  b.answered,
  b.handle_s_total,
  b.handle_s_sq_total,
  b.responses,
  b.satisfied,
  b.fcr_judged,
  b.fcr_resolved,
  coalesce(qa.qa_reviews, 0) AS qa_reviews,
  coalesce(qa.qa_score_sum, 0) AS qa_score_sum,
  coalesce(qa.qa_score_sq_sum, 0) AS qa_score_sq_sum,
  coalesce(cp.complaints, 0) AS complaints
FROM base b
JOIN agents a ON a.agent_id = b.group_key
LEFT JOIN teams tm ON tm.team_id = a.team_id
LEFT JOIN qa ON qa.agent_id = b.group_key
LEFT JOIN complaints cp ON cp.agent_id = b.group_key
WHERE b.answered > 0
ORDER BY b.group_key;
