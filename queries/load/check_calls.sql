-- Validates staged calls (view load_mapped) in one pass. Missing times are derived the way the
-- telephony systems define them (answer = enqueue + wait; wait = answer − enqueue, or end −
-- enqueue for unanswered calls; talk = end − answer − hold), then __problem is the first rule the
-- row breaks, as {col, why}; NULL when the row is good.
SELECT d.*,
  CASE
    WHEN d.__parse IS NOT NULL THEN d.__parse
    WHEN d.call_id IS NULL THEN {'col': 'call_id', 'why': 'missing value'}
    WHEN d.direction IS NULL THEN {'col': 'direction', 'why': 'missing value'}
    WHEN d.direction NOT IN ('inbound', 'outbound', 'callback') THEN {'col': 'direction', 'why': 'bad enum value: ' || d.direction}
    WHEN d.disposition IS NULL THEN {'col': 'disposition', 'why': 'missing value'}
    WHEN d.disposition NOT IN ('answered', 'abandoned', 'transferred', 'callback', 'voicemail') THEN {'col': 'disposition', 'why': 'bad enum value: ' || d.disposition}
    WHEN d.enqueued_at IS NULL THEN {'col': 'enqueued_at', 'why': 'missing value'}
    WHEN d.ended_at IS NULL THEN {'col': 'ended_at', 'why': 'missing value'}
    WHEN d.ended_at < d.enqueued_at THEN {'col': 'ended_at', 'why': 'end before start'}
    WHEN d.answered_at < d.enqueued_at OR d.answered_at > d.ended_at THEN {'col': 'answered_at', 'why': 'answered outside the call'}
    WHEN d.wait_s < 0 THEN {'col': 'wait_s', 'why': 'negative duration'}
    WHEN d.talk_s < 0 THEN {'col': 'talk_s', 'why': 'negative duration'}
    WHEN d.hold_s < 0 THEN {'col': 'hold_s', 'why': 'negative duration'}
    WHEN d.wrap_s < 0 THEN {'col': 'wrap_s', 'why': 'negative duration'}
    WHEN d.survey_score NOT BETWEEN 1 AND 5 THEN {'col': 'survey_score', 'why': 'survey score out of 1–5'}
    WHEN d.queue_id__src IS NOT NULL AND q.queue_id IS NULL THEN {'col': 'queue_id', 'why': 'unknown queue: ' || d.queue_id__src}
    WHEN d.agent_id__src IS NOT NULL AND a.agent_id IS NULL THEN {'col': 'agent_id', 'why': 'unknown agent: ' || d.agent_id__src}
  END AS __problem
FROM (
  SELECT m.__ord, m.__rid, m.__parse, m.queue_id__src, m.agent_id__src,
    m.call_id, m.direction, m.disposition, m.queue_id, m.agent_id, m.caller_number, m.enqueued_at,
    coalesce(m.answered_at, CASE WHEN m.disposition IN ('answered', 'transferred') AND m.wait_s IS NOT NULL
                                 THEN m.enqueued_at + to_microseconds(CAST(m.wait_s * 1e6 AS BIGINT)) END) AS answered_at,
    m.ended_at,
    coalesce(m.wait_s, CASE WHEN m.answered_at IS NOT NULL THEN epoch(m.answered_at - m.enqueued_at) ELSE epoch(m.ended_at - m.enqueued_at) END, 0) AS wait_s,
    coalesce(m.talk_s, CASE WHEN m.answered_at IS NOT NULL THEN epoch(m.ended_at - m.answered_at) - coalesce(m.hold_s, 0) END, 0) AS talk_s,
    coalesce(m.hold_s, 0) AS hold_s,
    coalesce(m.wrap_s, 0) AS wrap_s,
    m.transferred_to, m.recording, m.survey_score, m.resolved
  FROM load_mapped m
) d
LEFT JOIN queues q ON q.queue_id = d.queue_id
LEFT JOIN agents a ON a.agent_id = d.agent_id
