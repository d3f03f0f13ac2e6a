-- title.zh: 质检项目得分
-- title.en: QA score by item
-- description.zh: 已提交的质检评分中，每个评分项的平均分、评分次数和不适用次数
-- description.en: Average score, number of ratings and N/A count of each scorecard item over submitted reviews (drafts left out)
SELECT
  i.item_id,
  count(*) FILTER (WHERE NOT i.na) AS rated,
  count(*) FILTER (WHERE i.na) AS not_applicable,
  round(avg(i.score) FILTER (WHERE NOT i.na), 2) AS avg_score
FROM qa_review_items i
JOIN qa_reviews r USING (review_id, version)
WHERE r.status <> 'draft'
GROUP BY i.item_id
ORDER BY avg_score
