-- The calls CSV files as the rows inserted into SQLite, parsed by DuckDB's read_csv (the
-- project's CSV reader) on an in-memory instance whose TimeZone is the center's, so local
-- timestamps become the right instants; epoch() gives Unix seconds.
SELECT
  call_id, direction, disposition, queue_id, agent_id, caller_number,
  epoch(enqueued_at::TIMESTAMPTZ)::BIGINT AS enqueued_at,
  epoch(answered_at::TIMESTAMPTZ)::BIGINT AS answered_at,
  epoch(ended_at::TIMESTAMPTZ)::BIGINT AS ended_at,
  coalesce(wait_s, 0) AS wait_s, coalesce(talk_s, 0) AS talk_s, coalesce(hold_s, 0) AS hold_s, coalesce(wrap_s, 0) AS wrap_s,
  transferred_to, recording, survey_score::INTEGER AS survey_score, resolved::INTEGER AS resolved
FROM read_csv($files, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = {
    'call_id': 'VARCHAR', 'direction': 'VARCHAR', 'disposition': 'VARCHAR', 'queue_id': 'VARCHAR',
    'agent_id': 'VARCHAR', 'caller_number': 'VARCHAR', 'enqueued_at': 'VARCHAR', 'answered_at': 'VARCHAR',
    'ended_at': 'VARCHAR', 'wait_s': 'DOUBLE', 'talk_s': 'DOUBLE', 'hold_s': 'DOUBLE', 'wrap_s': 'DOUBLE',
    'transferred_to': 'VARCHAR', 'recording': 'VARCHAR', 'survey_score': 'TINYINT', 'resolved': 'BOOLEAN'
  })
