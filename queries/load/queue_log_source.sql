-- Asterisk queue_log (epoch|callid|queue|agent|event|data1..data5, already read into load_ql)
-- folded into one row per call. Agent and queue housekeeping lines (callid NONE) are ignored.
-- CONNECT: data1 = hold (wait) time; COMPLETEAGENT/COMPLETECALLER: data1 = hold, data2 = talk;
-- TRANSFER: data1 = extension, data3 = hold, data4 = talk; ABANDON/EXITWITHTIMEOUT/EXITEMPTY:
-- data3 = wait; EXITWITHKEY: data4 = wait (the caller asked for a callback).
CREATE OR REPLACE TEMP TABLE load_src_table AS
SELECT min(rowid) - $base AS __ord,
  callid,
  coalesce(min(queue) FILTER (WHERE event = 'ENTERQUEUE'), min(queue)) AS queue,
  min(data2) FILTER (WHERE event = 'ENTERQUEUE') AS caller,
  min(epoch) FILTER (WHERE event = 'ENTERQUEUE') AS enqueued,
  min(epoch) FILTER (WHERE event = 'CONNECT') AS answered,
  max(epoch) FILTER (WHERE event IN ('COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER',
                                     'ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY', 'EXITWITHKEY')) AS ended,
  arg_max(agent, rowid) FILTER (WHERE event = 'CONNECT') AS agent,
  coalesce(min(data1) FILTER (WHERE event = 'CONNECT'),
           min(data3) FILTER (WHERE event IN ('ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY')),
           min(data4) FILTER (WHERE event = 'EXITWITHKEY')) AS wait,
  coalesce(min(data2) FILTER (WHERE event IN ('COMPLETEAGENT', 'COMPLETECALLER')),
           min(data4) FILTER (WHERE event = 'TRANSFER')) AS talk,
  CASE
    WHEN bool_or(event IN ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER')) THEN 'transferred'
    WHEN bool_or(event IN ('COMPLETEAGENT', 'COMPLETECALLER')) THEN 'answered'
    WHEN bool_or(event = 'EXITWITHKEY') THEN 'callback'
    WHEN bool_or(event IN ('ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY')) THEN 'abandoned'
  END AS disposition,
  min(data1) FILTER (WHERE event IN ('TRANSFER', 'BLINDTRANSFER')) AS transferred_to
FROM load_ql
WHERE callid IS NOT NULL AND callid <> 'NONE'
  AND event IN ('ENTERQUEUE', 'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER',
                'ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY', 'EXITWITHKEY')
GROUP BY callid
ORDER BY __ord
