-- name: satisfaction
-- description.zh: 满意度：通话后满意度调查中打 4 分（一般满意）或 5 分（高度满意）的比例，及平均分和回复数
-- description.en: Satisfaction: share of post-call survey responses scoring 4 (satisfied) or 5 (very satisfied), with the mean score and the number of responses
-- formula.zh: 满意度 = 4 分和 5 分的回复数 ÷ 调查回复数（1–5 分制）；平均分 = 分数之和 ÷ 回复数；未回复的电话不计
-- formula.en: satisfaction = responses scoring 4 or 5 ÷ survey responses (1–5 scale); mean = sum of scores ÷ responses; calls without a response are left out
-- unit: share
-- extends: call_kpis_core
-- fixed: interval=total group_by=none
SELECT satisfaction AS value, mean_score, responses, satisfied FROM base;
