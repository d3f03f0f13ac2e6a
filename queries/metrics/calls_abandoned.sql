-- name: calls_abandoned
-- description.zh: 放弃量：来电者在排队中挂断的呼入电话数，及放弃率
-- description.en: Calls abandoned: inbound callers who hung up while waiting, and the abandon rate
-- formula.zh: 放弃量 = 处理结果为"放弃"的呼入电话数；放弃率 = 放弃量 ÷ 呼入量；等待 < 短时放弃阈值（默认 5 秒）的放弃另计为短时放弃（仍计入放弃量）
-- formula.en: abandoned = inbound calls with disposition "abandoned"; abandon rate = abandoned ÷ offered; abandons after waiting < the short-abandon threshold (5 s by default) are also counted apart as short abandons (still in abandoned)
-- unit: count
-- extends: call_kpis_core
-- fixed: interval=total group_by=none
SELECT abandoned AS value, offered, abandon_rate, short_abandoned, short_abandon_s FROM base;
