// The kinds of data the loader knows: the warehouse table each fills, its columns and types,
// and the natural key that makes a re-load idempotent. These are constants of the product,
// never user input, so the SQL templates may splice them in.

export type ColumnType = 'text' | 'timestamp' | 'date' | 'duration' | 'integer' | 'boolean';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** The column names an agent or queue: checked against (or created in) that dimension. */
  ref?: 'agents' | 'queues';
}

export interface KindDef {
  kind: string;
  table: string;
  columns: ColumnDef[];
  /** Natural key: a row whose key is already in the table is "already present" or a conflict. */
  key: string[];
  /** Dimensions are upserted; facts are append-only with an anti-join on the key. */
  dimension: boolean;
  /** Load order when several files are given: dimensions before the facts that reference them. */
  order: number;
  /** Columns the insert derives from stored ones: name → SQL over the row's columns, given how to
   *  turn a TIMESTAMPTZ into the center's wall clock (see queries/schema/015_call_local_times.sql). */
  derived?: Record<string, (toLocal: (ts: string) => string) => string>;
}

const col = (name: string, type: ColumnType = 'text', ref?: ColumnDef['ref']): ColumnDef => ({ name, type, ref });

export const KINDS: Record<string, KindDef> = {
  agents: {
    kind: 'agents', table: 'agents', dimension: true, order: 0, key: ['agent_id'],
    columns: [col('agent_id'), col('name'), col('team_id'), col('team_name'), col('role'), col('hired_on', 'date'), col('left_on', 'date')]
  },
  queues: {
    kind: 'queues', table: 'queues', dimension: true, order: 1, key: ['queue_id'],
    columns: [col('queue_id'), col('name'), col('kind'), col('language')]
  },
  shifts: {
    kind: 'shifts', table: 'shifts', dimension: false, order: 2, key: ['agent_id', 'starts_at'],
    columns: [col('agent_id', 'text', 'agents'), col('shift_date', 'date'), col('shift_code'), col('starts_at', 'timestamp'), col('ends_at', 'timestamp')]
  },
  attendance: {
    kind: 'attendance', table: 'attendance', dimension: false, order: 3, key: ['agent_id', 'punched_at', 'direction'],
    columns: [col('agent_id', 'text', 'agents'), col('punched_at', 'timestamp'), col('direction'), col('device')]
  },
  leaves: {
    kind: 'leaves', table: 'leaves', dimension: false, order: 4, key: ['agent_id', 'starts_on', 'kind'],
    columns: [col('agent_id', 'text', 'agents'), col('starts_on', 'date'), col('ends_on', 'date'), col('kind'), col('approved', 'boolean')]
  },
  calls: {
    kind: 'calls', table: 'calls', dimension: false, order: 5, key: ['call_id'],
    derived: { enqueued_local: (toLocal) => toLocal('enqueued_at') },
    columns: [
      col('call_id'), col('direction'), col('disposition'), col('queue_id', 'text', 'queues'), col('agent_id', 'text', 'agents'),
      col('caller_number'), col('enqueued_at', 'timestamp'), col('answered_at', 'timestamp'), col('ended_at', 'timestamp'),
      col('wait_s', 'duration'), col('talk_s', 'duration'), col('hold_s', 'duration'), col('wrap_s', 'duration'),
      col('transferred_to'), col('recording'), col('survey_score', 'integer'), col('resolved', 'boolean')
    ]
  },
  transcript: {
    kind: 'transcript', table: 'utterances', dimension: false, order: 6, key: ['call_id', 'seq'],
    columns: [col('call_id'), col('seq', 'integer'), col('speaker'), col('start_ms', 'integer'), col('end_ms', 'integer'), col('text'), col('redactions'), col('source')]
  },
  tickets: {
    kind: 'tickets', table: 'tickets', dimension: false, order: 7, key: ['ticket_id'],
    columns: [
      col('ticket_id'), col('type'), col('status'), col('severity', 'integer'), col('cause_group'), col('cause'), col('sub_cause'),
      col('department'), col('channel'), col('customer_number'), col('customer_name'), col('call_id'), col('opened_by'),
      col('opened_at', 'timestamp'), col('promised_callback_at', 'timestamp'), col('received_due_at', 'timestamp'),
      col('contact_due_at', 'timestamp'), col('solution_due_at', 'timestamp'), col('callback_due_at', 'timestamp'),
      col('closed_at', 'timestamp'), col('summary'), col('major', 'boolean')
    ]
  },
  ticket_events: {
    kind: 'ticket_events', table: 'ticket_events', dimension: false, order: 8, key: ['ticket_id', 'seq'],
    columns: [col('ticket_id'), col('seq', 'integer'), col('event'), col('occurred_at', 'timestamp'), col('actor'), col('department'), col('result'), col('note')]
  }
};

export function kindDef(kind: string): KindDef {
  const def = KINDS[kind];
  if (!def) throw new Error(`unknown kind "${kind}" (known: ${Object.keys(KINDS).join(', ')})`);
  return def;
}

/** The columns stored in the table (agents.team_name goes to teams, not agents). */
export function storedColumns(def: KindDef): string[] {
  if (def.kind === 'agents') return ['agent_id', 'name', 'team_id', 'role', 'hired_on', 'left_on'];
  return def.columns.map((c) => c.name);
}
