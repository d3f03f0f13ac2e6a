-- Which scorecard items go with repeat contacts and low survey scores: for each item, calls where
-- it failed (less than the top score) against calls where it got the top score, and in each
-- group the share of calls whose caller called again within $repeat_days days, and the share
-- with a survey score of 2 or less (among calls with a survey answer).
WITH reviewed AS (/*reviewed_calls*/),
items AS (
  SELECT s.scorecard_id, s.version, it.value->>'id' AS item_id,
         list_max(from_json(it.value->'scores', '["DOUBLE"]')) AS top
  FROM qa_scorecards s, json_each(s.definition, '$.sections') sec, json_each(sec.value, '$.items') it
),
scored AS (
  SELECT i.item_id, i.score < it.top AS failed, r.call_id, r.survey_score,
         r.caller_number IS NOT NULL AND EXISTS (
           SELECT 1 FROM calls later
           WHERE later.caller_number = r.caller_number AND later.call_id <> r.call_id
             AND later.enqueued_at > r.enqueued_at AND later.enqueued_at <= r.enqueued_at + to_days($repeat_days::INTEGER)
         ) AS repeated
  FROM reviewed r
  JOIN qa_review_items i ON i.review_id = r.review_id AND i.version = r.version
  JOIN items it ON it.scorecard_id = r.scorecard_id AND it.version = r.scorecard_version AND it.item_id = i.item_id
  WHERE NOT i.na
)
SELECT item_id,
       count(*) FILTER (WHERE failed) AS failed_calls,
       count(*) FILTER (WHERE NOT failed) AS passed_calls,
       avg(repeated::INTEGER) FILTER (WHERE failed) AS repeat_rate_failed,
       avg(repeated::INTEGER) FILTER (WHERE NOT failed) AS repeat_rate_passed,
       avg((survey_score <= 2)::INTEGER) FILTER (WHERE failed AND survey_score IS NOT NULL) AS low_survey_rate_failed,
       avg((survey_score <= 2)::INTEGER) FILTER (WHERE NOT failed AND survey_score IS NOT NULL) AS low_survey_rate_passed
FROM scored
GROUP BY item_id
ORDER BY item_id
