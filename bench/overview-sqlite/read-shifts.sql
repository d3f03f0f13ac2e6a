-- shifts.csv as the rows inserted into SQLite (DuckDB's read_csv, in the center's zone; see read-calls.sql).
SELECT agent_id, shift_date, shift_code,
  epoch(starts_at::TIMESTAMPTZ)::BIGINT AS starts_at,
  epoch(ends_at::TIMESTAMPTZ)::BIGINT AS ends_at
FROM read_csv($files, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = {'agent_id': 'VARCHAR', 'shift_date': 'VARCHAR', 'shift_code': 'VARCHAR', 'starts_at': 'VARCHAR', 'ends_at': 'VARCHAR'})
