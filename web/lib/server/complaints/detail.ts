// One complaint as its page shows it: the ticket with its effective cause, the automatic label's
// confidence and evidence, the life-cycle timeline, corrections, and the call it came from with
// the transcript (the QA module's call facts and transcript readers).
import type { Warehouse } from '../warehouse.ts';
import { callFacts, transcript, type CallFacts, type TranscriptLine } from '../qa/calls.ts';
import type { Evidence } from './classifier.ts';

export interface ComplaintTicket {
  ticket_id: string;
  status: string;
  severity: number | null;
  major: boolean;
  channel: string;
  customer_number: string | null;
  customer_name: string | null;
  call_id: string | null;
  opened_by: string | null;
  opened_local: string;
  closed_local: string | null;
  summary: string | null;
  cause_group: string | null;
  cause: string | null;
  sub_cause: string | null;
  cause_source: 'source' | 'auto' | 'reviewer' | null;
  confidence: number | null;
  department: string | null;
  due: { received: string | null; contact: string | null; solution: string | null; callback: string | null };
}

export interface ComplaintLabel {
  source: 'auto' | 'reviewer';
  cause: string;
  confidence: number | null;
  evidence: Evidence[];
  model: string | null;
  labelled_local: string;
  reviewer: string | null;
  auto_cause: string | null;
  auto_confidence: number | null;
}

export interface TimelineEvent {
  seq: number;
  event: string;
  occurred_local: string;
  actor: string | null;
  department: string | null;
  result: string | null;
  note: string | null;
}

export interface CorrectionRow {
  from_cause: string | null;
  from_source: string | null;
  to_cause: string;
  to_sub_cause: string | null;
  reviewer: string;
  corrected_local: string;
  note: string | null;
}

export interface ComplaintDetail {
  ticket: ComplaintTicket;
  label: ComplaintLabel | null;
  events: TimelineEvent[];
  corrections: CorrectionRow[];
  call: CallFacts | null;
  transcript: TranscriptLine[];
  /** Other complaints of the same customer. */
  repeats: Array<{ ticket_id: string; opened_local: string; cause: string | null }>;
}

const local = (col: string) => `strftime(${col}, '%Y-%m-%d %H:%M')`;

export async function complaintDetail(warehouse: Warehouse, ticketId: string): Promise<ComplaintDetail | null> {
  const row = await warehouse.one<Omit<ComplaintTicket, 'due'> & { received: string | null; contact: string | null; solution: string | null; callback: string | null }>(
    `SELECT ticket_id, status, severity, major, channel, customer_number, customer_name, call_id, opened_by,
            ${local('opened_at')} AS opened_local, ${local('closed_at')} AS closed_local, summary, cause_group, cause, sub_cause,
            cause_source, confidence, department, ${local('received_due_at')} AS received, ${local('contact_due_at')} AS contact,
            ${local('solution_due_at')} AS solution, ${local('callback_due_at')} AS callback
     FROM complaint_facts WHERE ticket_id = $id`,
    { id: ticketId }
  );
  if (!row) return null;
  const { received, contact, solution, callback, ...rest } = row;
  const ticket: ComplaintTicket = { ...rest, due: { received, contact, solution, callback } };
  const [labelRow, events, corrections, repeats] = await Promise.all([
    warehouse.one<Omit<ComplaintLabel, 'evidence'> & { evidence: string | null }>(
      `SELECT source, cause, confidence, evidence::VARCHAR AS evidence, model, ${local('labelled_at')} AS labelled_local, reviewer, auto_cause, auto_confidence
       FROM complaint_labels WHERE ticket_id = $id`,
      { id: ticketId }
    ),
    warehouse.all<TimelineEvent>(
      `SELECT seq, event, ${local('occurred_at')} AS occurred_local, actor, department, result, note FROM ticket_events WHERE ticket_id = $id ORDER BY occurred_at, seq`,
      { id: ticketId }
    ),
    warehouse.all<CorrectionRow>(
      `SELECT from_cause, from_source, to_cause, to_sub_cause, reviewer, ${local('corrected_at')} AS corrected_local, note
       FROM complaint_corrections WHERE ticket_id = $id ORDER BY correction_id`,
      { id: ticketId }
    ),
    ticket.customer_number
      ? warehouse.all<ComplaintDetail['repeats'][number]>(
          `SELECT ticket_id, ${local('opened_at')} AS opened_local, cause FROM complaint_facts WHERE customer_number = $n AND ticket_id <> $id ORDER BY opened_at`,
          { n: ticket.customer_number, id: ticketId }
        )
      : Promise.resolve([])
  ]);
  const label = labelRow ? { ...labelRow, evidence: labelRow.evidence ? (JSON.parse(labelRow.evidence) as Evidence[]) : [] } : null;
  const call = ticket.call_id ? await callFacts(warehouse, ticket.call_id) : null;
  return { ticket, label, events, corrections, call, transcript: call ? await transcript(warehouse, call.call_id) : [], repeats };
}
