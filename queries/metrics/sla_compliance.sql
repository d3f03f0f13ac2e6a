-- name: sla_compliance
-- description.zh: 服务目标达成率：每个时段、每项服务目标的达标、超时与进行中工单数及达成率，与目标比较
-- description.en: Service-target compliance: per period and target, tickets met, breached and pending, the compliance rate and whether it reaches the goal
-- formula.zh: 由 ticket_sla 汇总：达成率 = 达标 ÷ (达标 + 超时)，进行中的不计；达成率 ≥ 目标比例即为达成
-- formula.en: ticket_sla summed: compliance = met ÷ (met + breached), pending tickets left out; the goal is reached when compliance ≥ the goal share
-- unit: table
-- extends: ticket_sla
SELECT
  bucket,
  target_id,
  any_value(clock) AS clock,
  any_value(limit_hours) AS limit_hours,
  any_value(goal) AS goal,
  count(*) FILTER (WHERE outcome = 'met') AS met,
  count(*) FILTER (WHERE outcome = 'breached') AS breached,
  count(*) FILTER (WHERE outcome = 'pending') AS pending,
  count(*) FILTER (WHERE outcome = 'met') / nullif(count(*) FILTER (WHERE outcome <> 'pending'), 0) AS compliance,
  count(*) FILTER (WHERE outcome = 'met') / nullif(count(*) FILTER (WHERE outcome <> 'pending'), 0) >= any_value(goal) AS goal_reached
FROM base
GROUP BY bucket, target_id
ORDER BY bucket, target_id;
