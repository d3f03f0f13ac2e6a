// The callback specialist's 回访: after the department acted, the customer is called back and the
// result is recorded as the complaint's next `callback` event. Not satisfied loops back to the
// responsible department (docs/domain.md): a `reopened` event follows and the ticket is reopened.
import { z } from 'zod';
import { queryRows, type Warehouse } from '../warehouse.ts';
import { recordAudit } from '../auth/audit.ts';
import { CALLBACK_RESULTS, type CallbackResult } from '../../complaints/callback-results.ts';

export { CALLBACK_RESULTS, type CallbackResult };

export const callbackSchema = z.strictObject({
  result: z.enum(CALLBACK_RESULTS),
  note: z.string().trim().max(1000).nullable().optional()
});
export type CallbackInput = z.infer<typeof callbackSchema>;

export class CallbackError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409
  ) {
    super(message);
  }
}

/**
 * Events recorded here are numbered from LOCAL_SEQ_FROM within their ticket. The ticketing
 * system numbers its own events from 1, so a later export of this ticket's events (its summary,
 * its closing) never takes a number we used: with max(seq) + 1 its next event would be refused
 * at import as a "duplicate key with different content". Order events by time, then seq.
 */
export const LOCAL_SEQ_FROM = 1_000_001;

/** What the reopened event says when the customer was not satisfied (as source systems write it). */
export const REOPEN_NOTE = '回访不满意，工单重开';

export interface RecordedCallback {
  seq: number;
  result: CallbackResult;
  status: string;
}

/** Appends the callback (and, when unsatisfied, the reopening) with its audit record, in one transaction. */
export async function recordCallback(warehouse: Warehouse, ticketId: string, input: CallbackInput, actor: string): Promise<RecordedCallback> {
  const { result, note } = callbackSchema.parse(input);
  return warehouse.transaction(async (conn) => {
    const [ticket] = await queryRows<{ status: string; department: string | null; last_seq: number | null }>(
      conn,
      `SELECT f.status, f.department,
              (SELECT max(seq) FROM ticket_events e WHERE e.ticket_id = f.ticket_id AND e.seq >= $local_from) AS last_seq
         FROM complaint_facts f WHERE f.ticket_id = $id`,
      { id: ticketId, local_from: LOCAL_SEQ_FROM }
    );
    if (!ticket) throw new CallbackError(`no complaint ${ticketId}`, 404);
    if (ticket.status === 'closed') throw new CallbackError(`complaint ${ticketId} is closed; a closed complaint takes no callback`, 409);
    const seq = ticket.last_seq === null ? LOCAL_SEQ_FROM : Number(ticket.last_seq) + 1;
    await conn.run(
      `INSERT INTO ticket_events (ticket_id, seq, event, occurred_at, actor, department, result, note)
       VALUES ($id, $seq, 'callback', current_timestamp, $actor, NULL, $result, $note)`,
      { id: ticketId, seq, actor, result, note: note || null }
    );
    let status = ticket.status;
    if (result === 'unsatisfied') {
      // Back to the responsible department.
      await conn.run(
        `INSERT INTO ticket_events (ticket_id, seq, event, occurred_at, actor, department, result, note)
         VALUES ($id, $seq, 'reopened', current_timestamp, $actor, $department, NULL, $note)`,
        { id: ticketId, seq: seq + 1, actor, department: ticket.department, note: REOPEN_NOTE }
      );
      status = 'reopened';
      await conn.run(`UPDATE tickets SET status = 'reopened', closed_at = NULL WHERE ticket_id = $id`, { id: ticketId });
    }
    await recordAudit(conn, {
      actor,
      action: 'complaint.callback',
      target: `ticket:${ticketId}`,
      before: { status: ticket.status },
      after: { status, seq, result, note: note || null }
    });
    return { seq, result, status };
  });
}
