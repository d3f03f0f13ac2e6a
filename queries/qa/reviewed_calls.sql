-- The reviews that count in QA reports: the newest version of each submitted review (an
-- arbitration's result replaces the original), calibration reviews left out, calls between
-- $from and $to (local days, inclusive). Used as a CTE by the other report queries.
SELECT r.review_id, r.version, r.call_id, r.agent_id, r.reviewer, r.score, r.critical_failed,
       r.scorecard_id, r.scorecard_version, c.queue_id, c.enqueued_at, c.caller_number, c.survey_score,
       a.team_id
FROM qa_reviews r
JOIN calls c ON c.call_id = r.call_id
LEFT JOIN agents a ON a.agent_id = r.agent_id
WHERE r.status <> 'draft' AND r.calibration_id IS NULL
  AND c.enqueued_at >= $from::DATE AND c.enqueued_at < $to::DATE + INTERVAL 1 DAY
QUALIFY row_number() OVER (PARTITION BY r.review_id ORDER BY r.version DESC) = 1
