-- name: calls_offered
-- description.zh: 呼入量：所选日期内进入队列的呼入电话数
-- description.en: Calls offered: inbound calls that entered a queue in the date range
-- formula.zh: 呼入量 = 进入队列的呼入电话数（含接听、放弃、留言、预约回呼）
-- formula.en: offered = inbound calls that entered a queue (answered, abandoned, voicemail and callback requests alike)
-- unit: count
-- extends: call_kpis_core
-- fixed: interval=total group_by=none
SELECT offered AS value FROM base;
