-- Template as classify.sql. Is any key stored at or after $first? (LIMIT 1: the scan stops at the
-- first one; the zone maps of a table loaded in key order skip most of it.)
SELECT count(*) AS n FROM (SELECT 1 FROM {{table}} WHERE {{key0}} >= $first LIMIT 1)
