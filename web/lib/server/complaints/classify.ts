// Classifying complaints that arrived without a cause: reads every complaint with its summary and
// the transcript of its call, trains the classifier on those with a known cause (the ticket's
// own, or a reviewer's confirmation or correction), measures it on a held-out fifth, then labels
// the rest with cause, sub-cause, confidence and evidence. Reviewers' corrections live in
// complaint_labels and so feed the next training.
import type { Warehouse } from '../warehouse.ts';
import { recordAudit } from '../auth/audit.ts';
import { UserError } from '../errors.ts';
import { evaluate, isHeldOut, ComplementNB, type Evaluation, type Segment } from './classifier.ts';
import { flattenCauses, loadTaxonomy, type Taxonomy } from './taxonomy.ts';

export interface ComplaintDoc {
  ticket_id: string;
  cause: string | null;
  sub_cause: string | null;
  cause_source: 'source' | 'reviewer' | 'auto' | null;
  segments: Segment[];
}

/** Every complaint with its text: the summary, then what was said on its call (both sides: the
 *  agent often names the cause the customer describes). */
export async function complaintDocs(warehouse: Warehouse): Promise<ComplaintDoc[]> {
  const rows = await warehouse.all<{ ticket_id: string; summary: string | null; cause: string | null; sub_cause: string | null; cause_source: ComplaintDoc['cause_source'] }>(
    `SELECT ticket_id, summary, cause, sub_cause, cause_source FROM complaint_facts ORDER BY ticket_id`
  );
  const said = await warehouse.all<{ ticket_id: string; seq: number; start_ms: number; text: string }>(
    `SELECT t.ticket_id, u.seq, u.start_ms, u.text
     FROM tickets t JOIN utterances u ON u.call_id = t.call_id
     WHERE t.type = 'complaint'
     ORDER BY t.ticket_id, u.start_ms, u.seq`
  );
  const byTicket = new Map<string, Segment[]>();
  for (const u of said) {
    const list = byTicket.get(u.ticket_id) ?? [];
    list.push({ source: 'transcript', seq: u.seq, start_ms: u.start_ms, text: u.text });
    byTicket.set(u.ticket_id, list);
  }
  return rows.map((r) => ({
    ticket_id: r.ticket_id,
    cause: r.cause,
    sub_cause: r.sub_cause,
    cause_source: r.cause_source,
    segments: [...(r.summary ? [{ source: 'summary' as const, text: r.summary }] : []), ...(byTicket.get(r.ticket_id) ?? [])]
  }));
}

const docText = (d: ComplaintDoc) => d.segments.map((s) => s.text).join('\n');

/** The cause classifier and, per cause, a sub-cause classifier, trained on these complaints. */
export class CauseModel {
  private constructor(
    readonly causes: ComplementNB,
    private readonly subs: Map<string, ComplementNB>,
    readonly trainingSize: number
  ) {}

  static train(taxonomy: Taxonomy, docs: readonly ComplaintDoc[]): CauseModel {
    const causes = flattenCauses(taxonomy);
    const labels = causes.map((c) => ({ label: c.zh, keywords: [...new Set([...c.keywords, ...c.subCauses.flatMap((s) => s.keywords)])] }));
    const training = docs.filter((d) => d.cause !== null).map((d) => ({ doc: d, text: docText(d) }));
    const model = ComplementNB.train(labels, training.map((t) => ({ text: t.text, label: t.doc.cause! })));
    const subs = new Map<string, ComplementNB>();
    for (const c of causes) {
      if (!c.subCauses.length) continue;
      const own = training.filter((t) => t.doc.cause === c.zh && t.doc.sub_cause !== null);
      subs.set(c.zh, ComplementNB.train(c.subCauses.map((s) => ({ label: s.zh, keywords: s.keywords })), own.map((t) => ({ text: t.text, label: t.doc.sub_cause! }))));
    }
    return new CauseModel(model, subs, model.trainingSize);
  }

  predict(segments: readonly Segment[]) {
    const p = this.causes.predict(segments);
    const sub = this.subs.get(p.label)?.predict(segments).label ?? null;
    return { ...p, sub_cause: sub };
  }
}

export interface ClassifyOptions {
  /** One labelled complaint in this many is held out for the figures (default 5, a fifth). */
  holdOutEvery?: number;
  /** Measure only; write no labels. */
  dryRun?: boolean;
}

export interface ClassifyResult {
  model: string;
  labelled: number;
  trained: number;
  evaluation: Evaluation | null;
  /** Complaints without a known cause that got (or would get) an automatic label. */
  classified: number;
  lowConfidence: number;
  byCause: Record<string, number>;
  causes: Array<{ zh: string; en: string }>;
}

/** Below this posterior an automatic label is counted as needing a reviewer's look. */
export const LOW_CONFIDENCE = 0.8;

export async function classifyComplaints(warehouse: Warehouse, options: ClassifyOptions = {}): Promise<ClassifyResult> {
  const every = options.holdOutEvery ?? 5;
  if (!Number.isInteger(every) || every < 2) throw new UserError('the held-out share must be one in 2 or more');
  const taxonomy = await loadTaxonomy(warehouse);
  const causes = flattenCauses(taxonomy);
  const known = new Set(causes.map((c) => c.zh));
  const docs = await complaintDocs(warehouse);
  const labelled = docs.filter((d) => (d.cause_source === 'source' || d.cause_source === 'reviewer') && d.cause !== null && known.has(d.cause));
  const unlabelled = docs.filter((d) => d.cause_source === null || d.cause_source === 'auto');

  // The figures: trained without the held-out part, measured on it.
  const train = labelled.filter((d) => !isHeldOut(d.ticket_id, every));
  const test = labelled.filter((d) => isHeldOut(d.ticket_id, every));
  let evaluation: Evaluation | null = null;
  if (test.length && train.length) {
    const m = CauseModel.train(taxonomy, train);
    evaluation = evaluate(test.map((d) => ({ truth: d.cause!, predicted: m.causes.predict(d.segments).label })), causes.map((c) => c.zh));
  }

  // The labels: trained on every labelled complaint.
  const model = CauseModel.train(taxonomy, labelled);
  const version = `complement-nb/${labelled.length}/${new Date().toISOString().slice(0, 10)}`;
  const rows = unlabelled
    .filter((d) => d.segments.length)
    .map((d) => {
      const p = model.predict(d.segments);
      return { ticket_id: d.ticket_id, cause: p.label, sub_cause: p.sub_cause, confidence: Math.min(1, Math.max(0, p.confidence)), evidence: JSON.stringify(p.evidence) };
    });
  if (!options.dryRun && rows.length) {
    await warehouse.run(
      `INSERT OR REPLACE INTO complaint_labels (ticket_id, cause, sub_cause, source, confidence, evidence, model, labelled_at)
       SELECT struct_extract(r, 'ticket_id'), struct_extract(r, 'cause'), struct_extract(r, 'sub_cause'), 'auto',
              struct_extract(r, 'confidence'), struct_extract(r, 'evidence')::JSON, $model, current_timestamp
       FROM (SELECT unnest(from_json($rows::JSON, '[{"ticket_id":"VARCHAR","cause":"VARCHAR","sub_cause":"VARCHAR","confidence":"DOUBLE","evidence":"VARCHAR"}]')) AS r)`,
      { rows: JSON.stringify(rows), model: version }
    );
  }
  const byCause: Record<string, number> = {};
  for (const r of rows) byCause[r.cause] = (byCause[r.cause] ?? 0) + 1;
  return {
    model: version,
    labelled: labelled.length,
    trained: train.length,
    evaluation,
    classified: rows.length,
    lowConfidence: rows.filter((r) => r.confidence < LOW_CONFIDENCE).length,
    byCause,
    causes: causes.map((c) => ({ zh: c.zh, en: c.en }))
  };
}

export interface Correction {
  ticket_id: string;
  cause: string;
  sub_cause?: string | null;
  note?: string | null;
}

/**
 * Someone (the actor, recorded as the reviewer) confirms or corrects a complaint's cause; the label
 * then trains the next model. Audited as complaint.label with the cause before and after.
 */
export async function correctCause(warehouse: Warehouse, c: Correction, actor: string): Promise<void> {
  const taxonomy = await loadTaxonomy(warehouse);
  const cause = flattenCauses(taxonomy).find((x) => x.zh === c.cause);
  if (!cause) throw new UserError(`"${c.cause}" is not a cause of the taxonomy`);
  const sub = c.sub_cause ?? null;
  if (sub !== null && !cause.subCauses.some((s) => s.zh === sub)) throw new UserError(`"${sub}" is not a sub-cause of "${c.cause}"`);
  await warehouse.transaction(async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT f.cause, f.sub_cause, f.cause_source, l.source AS label_source, l.cause AS label_cause, l.confidence AS label_confidence, l.auto_cause, l.auto_confidence
       FROM complaint_facts f LEFT JOIN complaint_labels l ON l.ticket_id = f.ticket_id WHERE f.ticket_id = $id`,
      { id: c.ticket_id }
    );
    const row = reader.getRowObjectsJS()[0] as Record<string, string | number | null> | undefined;
    if (!row) throw new UserError(`no complaint ${c.ticket_id}`);
    await conn.run(
      `INSERT INTO complaint_corrections (ticket_id, from_cause, from_source, to_cause, to_sub_cause, reviewer, note) VALUES ($id, $from, $fromSource, $to, $sub, $reviewer, $note)`,
      { id: c.ticket_id, from: row.cause, fromSource: row.cause_source, to: c.cause, sub, reviewer: actor, note: c.note ?? null }
    );
    // The classifier's own answer is kept beside the reviewer's, for the agreement figures.
    const autoCause = row.label_source === 'auto' ? row.label_cause : row.auto_cause ?? null;
    const autoConfidence = row.label_source === 'auto' ? row.label_confidence : row.auto_confidence ?? null;
    await conn.run(
      `INSERT OR REPLACE INTO complaint_labels (ticket_id, cause, sub_cause, source, confidence, evidence, model, labelled_at, reviewer, auto_cause, auto_confidence)
       SELECT $id, $to, $sub, 'reviewer', NULL, (SELECT evidence FROM complaint_labels WHERE ticket_id = $id), NULL, current_timestamp, $reviewer, $autoCause, $autoConfidence::DOUBLE`,
      { id: c.ticket_id, to: c.cause, sub, reviewer: actor, autoCause, autoConfidence }
    );
    await recordAudit(conn, {
      actor,
      action: 'complaint.label',
      target: `ticket:${c.ticket_id}`,
      before: { cause: row.cause, sub_cause: row.sub_cause, cause_source: row.cause_source },
      after: { cause: c.cause, sub_cause: sub, cause_source: 'reviewer', note: c.note ?? null }
    });
  });
}
