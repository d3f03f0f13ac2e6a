-- Rows read_csv itself refused (wrong column count, unparsable, a typed column that did not
-- convert), one reject per line, then load_gaps: for each refused line, how many good records
-- came before it, so that a good record's ordinal maps back to its line number. An error of the
-- whole line (e.g. longer than max_line_size) has no column index: it sorts first, not out.
INSERT INTO rejects (ingest_id, file, line, column_name, reason, raw)
SELECT $ingest_id, $file, e.line, arg_min(e.column_name, coalesce(e.column_idx, -1)),
  arg_min(CASE
    WHEN e.error_type = 'CAST' THEN coalesce(r.why, 'bad value') || ': ' || coalesce(regexp_extract(e.error_message, 'Could not convert string "([^"]*)"', 1), '')
    WHEN e.error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') THEN 'wrong column count (' || e.error_message || ')'
    ELSE 'unparsable row (' || e.error_message || ')'
  END, coalesce(e.column_idx, -1)),
  any_value(e.csv_line)
FROM load_rj e LEFT JOIN load_cast_reasons r ON r.col = e.column_name
GROUP BY e.line;

CREATE OR REPLACE TEMP TABLE load_gaps AS
SELECT line - $first_line - (row_number() OVER (ORDER BY line) - 1) AS gap
FROM (SELECT DISTINCT line FROM load_rj);
