-- Template as classify.sql. After an insert without the anti-join, when stored rows lie in the new
-- rows' key range: how many of them have the key of a row this ingest inserted? More than none
-- and the load rolls back and runs again with the anti-join (insert_direct.sql).
SELECT count(*) AS n FROM {{table}} t
SEMI JOIN (SELECT {{key}} FROM {{table}} WHERE ingest_id = $ingest_id) c ON {{key_join}}
WHERE t.{{key0}} BETWEEN $lo AND $hi AND t.ingest_id IS DISTINCT FROM $ingest_id
