-- Template as classify.sql. The fast path when no stored key can match the file's (first_key.sql,
-- stored_from.sql): as insert_direct.sql without the anti-join against the stored keys, which on a
-- large table costs a third of the insert. Checked afterwards (stored_in_range.sql,
-- stored_collisions.sql); a collision rolls the file back and loads it with insert_direct.sql.
INSERT INTO {{table}} ({{columns}}{{derived_columns}}{{ingest_col}})
SELECT {{columns}}{{derived_values}}{{ingest_val}} FROM ({{check}}) c
WHERE c.__problem IS NULL
