-- Utterances of a transcript: seq by order in the file, source 'script' for scripted demo
-- transcripts and 'asr' for anything a speech engine produced; redactions kept as JSON.
CREATE OR REPLACE TEMP VIEW load_mapped AS
SELECT NULL::BIGINT AS __ord, s.seq AS __rid, s.call_id, CAST(s.seq AS INTEGER) AS seq,
  s.u ->> 'speaker' AS speaker,
  try_cast(s.u ->> 'start_ms' AS INTEGER) AS start_ms,
  try_cast(s.u ->> 'end_ms' AS INTEGER) AS end_ms,
  s.u ->> 'text' AS text,
  coalesce(json_extract(s.u, '$.redactions'), '[]'::JSON) AS redactions,
  CASE WHEN s.engine = 'script' THEN 'script' ELSE 'asr' END AS source,
  CASE
    WHEN (s.u ->> 'start_ms') IS NOT NULL AND try_cast(s.u ->> 'start_ms' AS INTEGER) IS NULL THEN {'col': 'start_ms', 'why': 'bad number'}
    WHEN (s.u ->> 'end_ms') IS NOT NULL AND try_cast(s.u ->> 'end_ms' AS INTEGER) IS NULL THEN {'col': 'end_ms', 'why': 'bad number'}
  END AS __parse
FROM load_src s
