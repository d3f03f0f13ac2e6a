-- name: complaint_repeat
-- description.zh: 重复投诉：区间内投诉两次及以上的客户（按来电号码），及其投诉原因
-- description.en: Repeat complaints: customers (by phone number) who complained twice or more in the range, with their causes
-- formula.zh: 区间内受理的投诉按客户号码分组，保留投诉数 ≥ min_complaints 的客户；same_cause = 同一原因出现两次及以上
-- formula.en: complaints opened in the range grouped by customer number, keeping customers with at least min_complaints complaints; same_cause = one cause appears twice or more
-- unit: table
-- extends: complaint_scope
-- params:
--   min_complaints integer 2
--   limit integer 200
WITH per AS (
  SELECT customer_number, count(*) AS complaints, list(DISTINCT cause ORDER BY cause) FILTER (WHERE cause IS NOT NULL) AS causes,
         count(cause) > count(DISTINCT cause) AS same_cause,
         strftime(min(opened_at), '%Y-%m-%d') AS first_local, strftime(max(opened_at), '%Y-%m-%d') AS last_local
  FROM base f WHERE customer_number IS NOT NULL GROUP BY customer_number
)
SELECT customer_number, complaints, array_to_string(causes, '、') AS causes, same_cause, first_local, last_local,
       (SELECT count(*) FROM per) AS customers, (SELECT count(*) FROM per WHERE complaints >= $min_complaints::INTEGER) AS repeat_customers
FROM per WHERE complaints >= $min_complaints::INTEGER
ORDER BY complaints DESC, last_local DESC, customer_number
LIMIT $limit::INTEGER;
