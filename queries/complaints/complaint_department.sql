-- name: complaint_department
-- description.zh: 原因 × 责任部门：每个原因的投诉落在哪些部门
-- description.en: Cause × responsible department: where each cause's complaints were sent
-- formula.zh: 区间内受理的投诉按有效原因与责任部门（工单上的部门，没有则取原因的默认部门）计数；share_of_cause = 该格 ÷ 该原因投诉数
-- formula.en: complaints opened in the range counted by effective cause and responsible department (the ticket's, else the cause's default department); share_of_cause = the cell ÷ the cause's complaints
-- unit: table
-- extends: complaint_scope
SELECT cause, coalesce(department, '') AS department, count(*) AS complaints,
       count(*) / sum(count(*)) OVER (PARTITION BY cause) AS share_of_cause
FROM base f GROUP BY cause, coalesce(department, '') ORDER BY cause NULLS LAST, complaints DESC;
