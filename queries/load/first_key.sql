-- Template as classify.sql. The natural key's first column of the file's first record that has one:
-- the fast path inserts without comparing keys with the warehouse when no stored key is at or after
-- it (files usually come in key order, e.g. one export per month), and verifies that afterwards.
SELECT CAST({{key0}} AS VARCHAR) AS k FROM load_mapped WHERE {{key0}} IS NOT NULL LIMIT 1
