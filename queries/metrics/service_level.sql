-- name: service_level
-- description.zh: 服务水平：在时限（默认 20 秒）内接听的呼入电话占呼入量的比例
-- description.en: Service level: share of offered calls answered within the threshold (20 s by default)
-- formula.zh: 服务水平 = 等待 ≤ 阈值秒内接听的呼入电话 ÷ 分母。默认口径 abandons_against：分母 = 呼入量，放弃的电话计入分母（视为未在时限内接听），不剔除短时放弃；answered_only：分母 = 接听量；late_abandons_against：分母 = 呼入量 − 阈值内放弃；short_abandons_excluded：分母 = 呼入量 − 短时放弃
-- formula.en: service level = inbound calls answered after waiting ≤ threshold seconds ÷ a denominator. Default variant abandons_against: calls offered, abandoned calls stay in the denominator (as not answered in time), short abandons included; answered_only: calls answered; late_abandons_against: offered − calls abandoned within the threshold; short_abandons_excluded: offered − short abandons
-- unit: share
-- extends: call_kpis_core
-- fixed: interval=total group_by=none
SELECT service_level AS value, sl_within AS answered_within, sl_denominator, offered, abandoned, threshold_s, sl_variant FROM base;
