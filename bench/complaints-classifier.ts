// Precision and recall of the complaint cause classifier on the demo's complaints, measured on
// complaints held out of training, two ways:
//   1. a random fifth held out (by ticket id, as `zhijian complaints classify` does);
//   2. one summary template per cause held out: the demo writes each cause's summaries from 2–3
//      templates, so a random split tests wordings the model has already seen and looks
//      unrealistically good; holding a whole template out tests a wording it has never seen.
//   npx tsx bench/complaints-classifier.ts [--demo DIR]   (DIR: a demo export; default: generate one)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generate, planSize } from '../ingest/generate/generate.ts';
import { CAUSES, ITEMS } from '../ingest/generate/catalog.ts';
import { CauseModel, type ComplaintDoc } from '../web/lib/server/complaints/classify.ts';
import { evaluate, formatEvaluation, isHeldOut, type Evaluation } from '../web/lib/server/complaints/classifier.ts';
import { defaultTaxonomy, flattenCauses } from '../web/lib/server/complaints/taxonomy.ts';

const argAt = process.argv.indexOf('--demo');
let dir = argAt >= 0 ? path.resolve(process.argv[argAt + 1]) : '';
let made = '';
if (!dir || !fs.existsSync(path.join(dir, 'tickets.csv'))) {
  made = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-bench-complaints-'));
  dir = made;
  console.error(`generating the demo export (seed 1, default size) in ${dir} …`);
  await generate({ out: dir, seed: 1, ...planSize({}) });
}

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const reader = await conn.runAndReadAll(
  `SELECT ticket_id, cause, sub_cause, summary FROM read_csv($file, header = true, all_varchar = true) WHERE type = 'complaint' ORDER BY ticket_id`,
  { file: path.join(dir, 'tickets.csv') }
);
const rows = reader.getRowObjectsJS() as Array<{ ticket_id: string; cause: string; sub_cause: string | null; summary: string }>;
conn.closeSync();
db.closeSync();

const taxonomy = defaultTaxonomy();
const causes = flattenCauses(taxonomy);
const docs: ComplaintDoc[] = rows.map((r) => ({ ticket_id: r.ticket_id, cause: r.cause, sub_cause: r.sub_cause, cause_source: 'source', segments: [{ source: 'summary', text: r.summary }] }));

/** Which of its cause's templates a demo summary was written from (the item put back as {item}). */
const itemPattern = new RegExp(ITEMS.join('|'));
function templateOf(d: ComplaintDoc): number {
  const text = d.segments[0].text.replace(itemPattern, '{item}');
  return CAUSES.find((c) => c.cause === d.cause)!.summaries.indexOf(text);
}

function run(train: ComplaintDoc[], test: ComplaintDoc[]): Evaluation {
  const model = CauseModel.train(taxonomy, train);
  return evaluate(test.map((d) => ({ truth: d.cause!, predicted: model.causes.predict(d.segments).label })), causes.map((c) => c.zh));
}

const random = run(docs.filter((d) => !isHeldOut(d.ticket_id)), docs.filter((d) => isHeldOut(d.ticket_id)));
const lastTemplate = (d: ComplaintDoc) => templateOf(d) === CAUSES.find((c) => c.cause === d.cause)!.summaries.length - 1;
const unseen = run(docs.filter((d) => !lastTemplate(d)), docs.filter(lastTemplate));

const name = (l: string) => `${l} ${causes.find((c) => c.zh === l)!.en.split(' (')[0]}`;
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
console.log(`## Complaint cause classifier\n`);
console.log(`${docs.length} demo complaints (seed 1) from ${dir === made ? 'a freshly generated export' : dir}; complement naive Bayes over Intl.Segmenter words and word pairs, the taxonomy's keywords as priors.\n`);
console.log(`| cause | held-out (random ⅕): n | precision | recall | held-out (unseen template): n | precision | recall |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|`);
for (const [i, c] of random.classes.entries()) {
  const u = unseen.classes[i];
  console.log(`| ${name(c.label)} | ${c.support} | ${pct(c.precision)} | ${pct(c.recall)} | ${u.support} | ${pct(u.precision)} | ${pct(u.recall)} |`);
}
console.log(`| **micro** | ${random.n} | ${pct(random.micro.precision)} | ${pct(random.micro.recall)} | ${unseen.n} | ${pct(unseen.micro.precision)} | ${pct(unseen.micro.recall)} |`);
console.log(`| **macro** | | ${pct(random.macro.precision)} | ${pct(random.macro.recall)} | | ${pct(unseen.macro.precision)} | ${pct(unseen.macro.recall)} |`);
console.log(`\nThe random split repeats wordings seen in training (the demo writes summaries from templates), so its figures are an upper bound; the unseen-template split is the honest one for new wordings.`);
console.error('\n' + formatEvaluation(unseen, name));
if (made) fs.rmSync(made, { recursive: true, force: true });
