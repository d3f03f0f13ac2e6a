-- Template as classify.sql. After an insert without the anti-join: rows stored before this ingest
-- whose first key column lies within the range of the rows it inserted ($lo..$hi). Zero (the usual
-- case, answered from the zone maps) means no key can collide; otherwise stored_collisions decides.
SELECT count(*) AS n FROM {{table}} t
WHERE t.{{key0}} BETWEEN $lo AND $hi AND t.ingest_id IS DISTINCT FROM $ingest_id
