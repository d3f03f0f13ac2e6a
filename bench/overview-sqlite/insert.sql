-- One call; the values come in the order of read-calls.sql's columns.
INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, caller_number, enqueued_at, answered_at, ended_at,
                   wait_s, talk_s, hold_s, wrap_s, transferred_to, recording, survey_score, resolved)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
