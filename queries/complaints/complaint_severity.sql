-- name: complaint_severity
-- description.zh: 严重程度构成：各原因的 1–4 级投诉数与重大投诉数
-- description.en: Severity mix: complaints of levels 1–4 per cause, and major complaints
-- formula.zh: 区间内受理的投诉按有效原因与严重程度（1 级最严重，空为未定级）计数；major = 其中重大投诉（媒体曝光、政府处罚，目标为 0）数
-- formula.en: complaints opened in the range counted by effective cause and severity (1 the gravest, empty when not graded); major = those that are major complaints (media exposure, a government penalty; the target is zero)
-- unit: table
-- extends: complaint_scope
SELECT cause, severity, count(*) AS complaints, count(*) FILTER (WHERE major) AS major,
       count(*) / sum(count(*)) OVER (PARTITION BY cause) AS share_of_cause
FROM base f GROUP BY cause, severity ORDER BY cause NULLS LAST, severity NULLS LAST;
