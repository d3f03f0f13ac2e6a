-- One transcript JSON file (the transcription step's output) as one row per utterance.
-- A file that is not valid JSON fails here, and the file is not loaded.
CREATE OR REPLACE TEMP TABLE load_src_table AS
WITH doc AS (SELECT CAST(content AS JSON) AS j FROM read_text($path))
SELECT r.i AS __ord, r.i AS seq, doc.j ->> 'call_id' AS call_id, doc.j ->> 'engine' AS engine,
  json_extract(doc.j, '$.utterances[' || r.i || ']') AS u
FROM doc, range(CAST(coalesce(json_array_length(doc.j, '$.utterances'), 0) AS BIGINT)) AS r(i)
ORDER BY r.i
