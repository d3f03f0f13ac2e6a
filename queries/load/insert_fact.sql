-- Template as classify.sql: the new rows of a fact table, tagged with the ingest that loaded them
-- where the table has an ingest_id column ({{ingest_col}} / {{ingest_val}} are empty otherwise),
-- with the columns the kind derives ({{derived_columns}} / {{derived_values}}, see kinds.ts).
INSERT INTO {{table}} ({{columns}}{{derived_columns}}{{ingest_col}})
SELECT {{columns}}{{derived_values}}{{ingest_val}} FROM load_checked WHERE __status = 'new'
