-- name: average_handle_time
-- description.zh: 平均处理时长：每通接听的呼入电话的通话、保持与话后处理秒数之和的平均值
-- description.en: Average handle time: mean of talk + hold + wrap-up seconds per answered inbound call
-- formula.zh: 平均处理时长 = Σ(通话 + 保持 + 话后处理秒数) ÷ 接听量
-- formula.en: AHT = Σ(talk + hold + wrap-up seconds) ÷ calls answered
-- unit: seconds
-- extends: call_kpis_core
-- fixed: interval=total group_by=none
SELECT aht_s AS value, talk_s_total / nullif(answered, 0) AS talk_s, hold_s_total / nullif(answered, 0) AS hold_s, wrap_s_total / nullif(answered, 0) AS wrap_s, answered FROM base;
