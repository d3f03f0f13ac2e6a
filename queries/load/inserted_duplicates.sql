-- Template as classify.sql. After the fast path's insert: does a natural key repeat among the rows
-- this ingest inserted? (With the anti-join, keys already stored were left out, so a repeat here
-- means the file itself repeats a new key: the load rolls back and takes the careful path.) lo and
-- hi bound the first key column of those rows, for the check against the stored rows (stored_in_range).
SELECT count(*) - count(DISTINCT {{key_expr}}) AS n, CAST(min({{key0}}) AS VARCHAR) AS lo, CAST(max({{key0}}) AS VARCHAR) AS hi
FROM {{table}} WHERE ingest_id = $ingest_id
