-- name: complaint_pareto
-- description.zh: 投诉原因帕累托：各原因的投诉数、占比与累计占比（由多到少），看出少数主要原因
-- description.en: Complaint cause Pareto: complaints per cause with share and cumulative share (most first), to see the few causes that dominate
-- formula.zh: 区间内受理的投诉（工单类型为投诉）按有效原因计数（工单自带原因；无原因的取自动分类；复核人员更正的以更正为准）；占比 = 该原因投诉数 ÷ 全部投诉数；累计占比按投诉数由多到少累加；未分类的排在最后
-- formula.en: complaints (tickets of type complaint) opened in the range, counted by effective cause (the ticket's own cause; the automatic label when it has none; a reviewer's correction overrides both); share = the cause's complaints ÷ all complaints; cumulative share adds them up from the largest; unclassified complaints come last
-- unit: table
-- extends: complaint_scope
WITH counts AS (
  SELECT cause, any_value(cause_group) AS cause_group, count(*) AS complaints,
         count(*) FILTER (WHERE cause_source = 'auto') AS auto_labelled
  FROM base f GROUP BY cause
),
ranked AS (
  SELECT *, row_number() OVER (ORDER BY cause IS NULL, complaints DESC, cause) AS rank FROM counts
)
SELECT r.rank, r.cause, k.name_en, coalesce(k.group_code, r.cause_group) AS cause_group, r.complaints, r.auto_labelled,
       r.complaints / sum(r.complaints) OVER () AS share,
       sum(r.complaints) OVER (ORDER BY r.rank) / sum(r.complaints) OVER () AS cumulative_share
FROM ranked r LEFT JOIN complaint_causes k ON k.cause = r.cause
ORDER BY r.rank;
