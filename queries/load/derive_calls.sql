-- Recomputes calls' derived columns (queries/schema/015_call_local_times.sql) for every call: run
-- by Warehouse.deriveCalls() when the center's zone changes, when a warehouse made before the
-- columns existed is upgraded, and after calls were written other than by the loader. Runs on a
-- warehouse connection, whose session TimeZone is the center's zone.
UPDATE calls SET enqueued_local = enqueued_at::TIMESTAMP
WHERE enqueued_local IS DISTINCT FROM enqueued_at::TIMESTAMP;
UPDATE calls SET next_inbound_local = n.next_local
FROM (
  SELECT call_id, lead(enqueued_local) OVER (PARTITION BY caller_number ORDER BY enqueued_at, call_id) AS next_local
  FROM calls
  WHERE direction = 'inbound' AND caller_number IS NOT NULL
) n
WHERE calls.call_id = n.call_id
  AND calls.next_inbound_local IS DISTINCT FROM n.next_local;
-- Calls that are no longer inbound with a number (or never were) have no next inbound call.
UPDATE calls SET next_inbound_local = NULL
WHERE next_inbound_local IS NOT NULL AND (direction <> 'inbound' OR caller_number IS NULL);
