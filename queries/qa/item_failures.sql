-- Which scorecard items fail most: per item, the reviews that scored it (N/A left out), how many
-- got less than the item's top score, and the share. The top score comes from the scorecard
-- version each review used.
WITH reviewed AS (/*reviewed_calls*/),
items AS (
  SELECT s.scorecard_id, s.version, it.value->>'id' AS item_id,
         list_max(from_json(it.value->'scores', '["DOUBLE"]')) AS top
  FROM qa_scorecards s, json_each(s.definition, '$.sections') sec, json_each(sec.value, '$.items') it
)
SELECT i.item_id, count(*) AS scored,
       count(*) FILTER (WHERE i.score < it.top) AS failed,
       count(*) FILTER (WHERE i.score < it.top) / count(*) AS fail_rate,
       avg(i.score / nullif(it.top, 0)) AS mean_share
FROM reviewed r
JOIN qa_review_items i ON i.review_id = r.review_id AND i.version = r.version
JOIN items it ON it.scorecard_id = r.scorecard_id AND it.version = r.scorecard_version AND it.item_id = i.item_id
WHERE NOT i.na
GROUP BY i.item_id
ORDER BY fail_rate DESC, i.item_id
