-- Template as classify.sql: the new rows of a fact table, tagged with the ingest that loaded them
-- where the table has an ingest_id column ({{ingest_col}} / {{ingest_val}} are empty otherwise).
INSERT INTO {{table}} ({{columns}}{{ingest_col}})
SELECT {{columns}}{{ingest_val}} FROM load_checked WHERE __status = 'new'
