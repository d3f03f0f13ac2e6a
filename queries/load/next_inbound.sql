-- After a calls file's rows are in, in the same transaction: calls.next_inbound_local (the wall-clock
-- time of the same number's next inbound call, in the order of queue entry then call id) for the
-- calls whose next call this file may have changed. For each number of the file that is: its calls
-- from the file's first call on (the file's and any stored ones), and the last stored call before
-- that — a contiguous run of the number's calls, so lead() over it is exact; the number's earlier
-- calls keep their next call. A file of new days touches only its own calls and one stored call per
-- number; an older file loaded late is handled the same way. Only changed values are written.
UPDATE calls SET next_inbound_local = n.next_local
FROM (
  WITH fresh AS (
    SELECT rowid AS rid, call_id, caller_number, enqueued_at, enqueued_local, next_inbound_local
    FROM calls
    WHERE ingest_id = $ingest_id AND direction = 'inbound' AND caller_number IS NOT NULL
  ),
  lo AS (SELECT min(enqueued_at) AS at, min(enqueued_local) AS at_local FROM fresh),
  later AS (
    -- Stored calls from the file's first call on: none when the file is newer than the warehouse.
    SELECT c.rowid AS rid, c.call_id, c.caller_number, c.enqueued_at, c.enqueued_local, c.next_inbound_local
    FROM calls c, lo
    WHERE c.enqueued_at >= lo.at AND c.ingest_id IS DISTINCT FROM $ingest_id AND c.direction = 'inbound'
      AND c.caller_number IN (SELECT caller_number FROM fresh)
  ),
  before AS (
    -- Each number's last stored call before the file's first call. Only calls whose next call is
    -- none or from then on can be it (a day's margin for zones whose clocks change), which leaves
    -- about one call per number to compare.
    SELECT max_by({'rid': c.rowid, 'call_id': c.call_id, 'caller_number': c.caller_number, 'enqueued_at': c.enqueued_at,
                   'enqueued_local': c.enqueued_local, 'next_inbound_local': c.next_inbound_local}, c.enqueued_at) AS x
    FROM calls c, lo
    WHERE c.enqueued_at < lo.at
      AND c.direction = 'inbound'
      AND (c.next_inbound_local IS NULL OR c.next_inbound_local >= lo.at_local - INTERVAL 1 DAY)
      AND c.caller_number IN (SELECT caller_number FROM fresh)
    GROUP BY c.caller_number
  ),
  run AS (
    SELECT * FROM fresh
    UNION ALL SELECT * FROM later
    UNION ALL SELECT unnest(x) FROM before
  )
  SELECT rid, next_inbound_local AS old, lead(enqueued_local) OVER (PARTITION BY caller_number ORDER BY enqueued_at, call_id) AS next_local
  FROM run
) n
WHERE calls.rowid = n.rid
  AND n.old IS DISTINCT FROM n.next_local
