-- Template as classify.sql. Before the fast path: how many records the file has and whether a
-- natural key repeats within it (then the careful path, which keeps the first occurrence, loads it).
-- Only the key columns are converted, so this is a light pass over the file.
SELECT count(*) AS n, count({{key_expr}}) - count(DISTINCT {{key_expr}}) AS dups FROM load_mapped
