-- Two columns of calls derived from the others, kept so that the dashboards need neither a time
-- zone conversion per row (ICU, the largest cost of a day or hour chart) nor a window over every
-- call of the range (first-contact resolution) for each request. The loader fills both in the
-- transaction that loads the calls (queries/load/next_inbound.sql); Warehouse.deriveCalls()
-- recomputes them when the center's zone changes or calls were written by other means. Additive
-- only; every statement is idempotent.

ALTER TABLE calls ADD COLUMN IF NOT EXISTS enqueued_local TIMESTAMP;
ALTER TABLE calls ADD COLUMN IF NOT EXISTS next_inbound_local TIMESTAMP;
COMMENT ON COLUMN calls.enqueued_local IS 'enqueued_at as the center''s wall clock (settings.time_zone), no zone: what day, hour and 15-minute interval the call counts in. Derived; recomputed when the zone changes.';
COMMENT ON COLUMN calls.next_inbound_local IS 'Inbound calls with a number: the wall-clock enqueue time (center''s zone) of the same number''s next inbound call, null while there is none. First-contact resolution reads it. Derived, updated as later calls load.';
