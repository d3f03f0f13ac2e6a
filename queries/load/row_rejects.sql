-- Template as classify.sql. Rows that broke a rule (or, for facts, conflict with a stored row),
-- with their line: ordinal + line of the first record + lines read_csv refused before them, and
-- the row as read ({{raw}}: the line of a JSON-lines file, the fields as a JSON object otherwise).
-- load_src is read again for that (only files with such rows pay for it: keeping
-- every row's source text through the checking pass costs more than the re-read).
INSERT INTO rejects (ingest_id, file, line, column_name, reason, raw)
SELECT $ingest_id, $file,
  c.__ord + $first_line + (SELECT count(*) FROM load_gaps g WHERE g.gap <= c.__ord),
  CASE WHEN c.__status = 'conflict' THEN '{{key_label}}' ELSE c.__problem.col END,
  CASE WHEN c.__status = 'conflict' THEN 'duplicate key with different content' ELSE c.__problem.why END,
  {{raw}}
FROM load_checked c
LEFT JOIN load_src s ON s.__ord = c.__rid
WHERE c.__status IN ({{reject_statuses}})
ORDER BY c.__ord, c.__rid
