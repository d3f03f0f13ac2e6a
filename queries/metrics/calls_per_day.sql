-- name: calls_per_day
-- description.zh: 每日呼入量：每天的呼入、接听与放弃电话数（按中心所在时区的日期）
-- description.en: Calls per day: inbound calls offered, answered and abandoned each day (days in the center's time zone)
-- formula.zh: 按进入队列的本地日期分组：呼入量、接听量（有接听时间）、放弃量（处理结果为"放弃"）；没有来电的日子记为 0
-- formula.en: grouped by the local day the call entered the queue: offered, answered (has an answer time), abandoned (disposition "abandoned"); days without calls count 0
-- unit: count
-- extends: call_kpis_core
-- fixed: interval=day group_by=none
SELECT CAST(left(bucket, 10) AS DATE) AS day, offered, answered, abandoned FROM base ORDER BY day;
