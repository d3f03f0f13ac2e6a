-- name: average_speed_of_answer
-- description.zh: 平均应答速度：接听的呼入电话在队列中的平均等待秒数
-- description.en: Average speed of answer: mean seconds answered inbound calls waited in queue
-- formula.zh: 平均应答速度 = 接听电话的等待秒数之和 ÷ 接听量（放弃电话不计）
-- formula.en: ASA = sum of wait seconds of answered calls ÷ calls answered (abandoned calls excluded)
-- unit: seconds
-- extends: call_kpis_core
-- fixed: interval=total group_by=none
SELECT asa_s AS value, answered FROM base;
