-- name: calls_answered
-- description.zh: 接听量：所选日期内由坐席接起的呼入电话数，及接通率
-- description.en: Calls answered: inbound calls an agent picked up in the date range, and the answer rate
-- formula.zh: 接听量 = 有接听时间的呼入电话数（转接的电话也算接听）；接通率 = 接听量 ÷ 呼入量
-- formula.en: answered = inbound calls with an answer time (transferred calls count as answered); answer rate = answered ÷ offered
-- unit: count
-- extends: call_kpis_core
-- fixed: interval=total group_by=none
SELECT answered AS value, offered, answer_rate FROM base;
