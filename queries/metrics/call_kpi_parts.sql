-- name: call_kpi_parts
-- description.zh: 话务指标的可加部件：按时段与维度汇总的计数与秒数之和（call_kpis 与 call_kpis_core 的比率都由它们算出；可逐级相加：细时段、坐席的部件相加即得粗时段、全体的部件）
-- description.en: The additive parts of the call KPIs: counts and sums of seconds per interval and group, from which call_kpis and call_kpis_core compute their rates. They add up: the parts of fine intervals and single agents sum to those of coarser intervals and of everyone (longest wait: the maximum)
-- formula.zh: 逐通电话的计数标记见 call_facts。offered、answered、abandoned、short_abandoned、sl_within、sl_denominator、transferred、fcr_judged、fcr_resolved、fcr_pending、responses、satisfied 为带该标记的电话数；answered_wait_s、talk_s_total、hold_s_total、wrap_s_total、handle_s_sq_total 为接听电话的秒数（平方）之和；busy_s 为坐席接听电话的处理秒数之和；score_sum 为满意度分数之和；longest_wait_s 为呼入电话的最长等待
-- formula.en: The per-call flags are call_facts'. offered, answered, abandoned, short_abandoned, sl_within, sl_denominator, transferred, fcr_judged, fcr_resolved, fcr_pending, responses and satisfied count the calls with that flag; answered_wait_s, talk_s_total, hold_s_total, wrap_s_total and handle_s_sq_total sum the seconds (squared) of answered calls; busy_s sums the handle seconds of calls an agent answered; score_sum sums the survey scores; longest_wait_s is the longest wait of an inbound call
-- unit: table
-- extends: call_facts
SELECT
  bucket,
  group_key,
  count(*) FILTER (WHERE is_offered) AS offered,
  count(*) FILTER (WHERE is_answered) AS answered,
  count(*) FILTER (WHERE is_abandoned) AS abandoned,
  count(*) FILTER (WHERE is_short_abandon) AS short_abandoned,
  count(*) FILTER (WHERE is_sl_within) AS sl_within,
  count(*) FILTER (WHERE is_sl_counted) AS sl_denominator,
  coalesce(sum(wait_s) FILTER (WHERE is_answered), 0) AS answered_wait_s,
  max(wait_s) FILTER (WHERE is_offered) AS longest_wait_s,
  coalesce(sum(talk_s) FILTER (WHERE is_answered), 0) AS talk_s_total,
  coalesce(sum(hold_s) FILTER (WHERE is_answered), 0) AS hold_s_total,
  coalesce(sum(wrap_s) FILTER (WHERE is_answered), 0) AS wrap_s_total,
  coalesce(sum(handle_s ^ 2) FILTER (WHERE is_answered), 0) AS handle_s_sq_total,
  count(*) FILTER (WHERE is_transferred) AS transferred,
  count(*) FILTER (WHERE fcr_status IN ('resolved', 'repeat')) AS fcr_judged,
  count(*) FILTER (WHERE fcr_status = 'resolved') AS fcr_resolved,
  count(*) FILTER (WHERE fcr_status = 'pending') AS fcr_pending,
  coalesce(sum(handle_s) FILTER (WHERE is_busy), 0) AS busy_s,
  count(survey_score) AS responses,
  count(*) FILTER (WHERE survey_score >= 4) AS satisfied,
  coalesce(sum(survey_score), 0) AS score_sum
FROM base
GROUP BY ALL
