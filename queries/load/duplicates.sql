-- Template as classify.sql. The same key twice in one file: the first occurrence loads, a later
-- identical row is "present", a later different row a conflict.
CREATE OR REPLACE TEMP TABLE load_dupkeys AS
SELECT {{key}} FROM load_checked WHERE __status = 'new' GROUP BY ALL HAVING count(*) > 1;

CREATE OR REPLACE TEMP TABLE load_firsts AS
SELECT c.* FROM load_checked c SEMI JOIN load_dupkeys k ON {{key_join_ck}}
WHERE c.__status = 'new'
QUALIFY row_number() OVER (PARTITION BY {{key_c}} ORDER BY c.__ord, c.__rid) = 1;

UPDATE load_checked AS c SET __status = CASE WHEN {{same_cf}} THEN 'present' ELSE 'conflict' END
FROM load_firsts f
WHERE {{key_join_cf}} AND c.__rid <> f.__rid AND c.__status = 'new';
