-- name: service_level_heatmap
-- description.zh: 服务水平热力图：按星期几与小时（中心时区）汇总的服务水平与呼入量
-- description.en: Service-level heatmap: service level and calls offered by weekday and hour of day (center's time zone)
-- formula.zh: 由 call_kpis 的每小时数据按星期（1 = 周一 … 7 = 周日）与小时汇总：服务水平 = Σ达标接听 ÷ Σ分母（口径与阈值同所选参数）
-- formula.en: call_kpis' hourly rows summed by weekday (1 = Monday … 7 = Sunday) and hour: service level = Σ answered within the threshold ÷ Σ denominator (variant and threshold as chosen)
-- unit: table
-- extends: call_kpis_core
-- fixed: interval=hour group_by=none
SELECT
  isodow(strptime(bucket, '%Y-%m-%d %H:%M')) AS weekday,
  hour(strptime(bucket, '%Y-%m-%d %H:%M')) AS hour,
  sum(offered) AS offered,
  sum(sl_within) AS sl_within,
  sum(sl_denominator) AS sl_denominator,
  sum(sl_within) / nullif(sum(sl_denominator), 0) AS service_level
FROM base
GROUP BY ALL
ORDER BY weekday, hour;
