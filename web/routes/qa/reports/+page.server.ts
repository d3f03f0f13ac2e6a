// QA reports: score by agent, team, queue and week; items that fail most; items that go with
// repeat contacts and low survey scores.
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { zodMessage } from '$lib/server/api/errors.ts';
import { getWarehouse } from '$lib/server/instance.ts';
import { qaReport, reviewedRange } from '$lib/server/qa/reports.ts';
import { activeScorecard, scorecardItems } from '$lib/server/qa/scorecard.ts';

const query = z
  .strictObject({ from: z.iso.date().optional(), to: z.iso.date().optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });

export const load: PageServerLoad = async ({ url }) => {
  const parsed = query.safeParse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
  if (!parsed.success) error(400, zodMessage(parsed.error));
  const warehouse = await getWarehouse();
  const extent = await reviewedRange(warehouse);
  const card = await activeScorecard(warehouse);
  const itemNames = Object.fromEntries(scorecardItems(card.definition).map((i) => [i.id, { name: i.name, name_en: i.name_en }]));
  if (!extent) return { report: null, itemNames };
  const range = { from: parsed.data.from ?? extent.from, to: parsed.data.to ?? extent.to };
  return { report: await qaReport(warehouse, range), itemNames };
};
