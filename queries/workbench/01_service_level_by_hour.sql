-- title.zh: 分时服务水平（20 秒接通率）
-- title.en: Service level by hour (answered within 20 s)
-- description.zh: 每个小时进线量、接通量和 20 秒内接通的比例（分母为进线减去 5 秒内放弃的短弃）
-- description.en: Inbound calls offered and answered per hour of the day, and the share answered within 20 seconds (short abandons under 5 s excluded)
SELECT
  hour(enqueued_at) AS hour,
  count(*) AS offered,
  count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
  round(100.0 * count(*) FILTER (WHERE answered_at IS NOT NULL AND wait_s <= 20)
        / nullif(count(*) FILTER (WHERE NOT (disposition = 'abandoned' AND wait_s < 5)), 0), 1) AS service_level_pct
FROM calls
WHERE direction = 'inbound'
GROUP BY hour
ORDER BY hour
