-- Template as classify.sql. After the fast path's insert: does a natural key repeat among the rows
-- this ingest inserted? (Keys already stored were left out by the insert's anti-join, so a repeat
-- here means the file itself repeats a new key: the load rolls back and takes the careful path.)
SELECT count(*) - count(DISTINCT {{key_expr}}) AS n FROM {{table}} WHERE ingest_id = $ingest_id
