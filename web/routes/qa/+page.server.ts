// The reviewer's queue: the calls drawn for them, progress against the draw's quota, filters;
// and the latest draws with each agent's sample size and score interval.
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { zodMessage } from '$lib/server/api/errors.ts';
import { getWarehouse } from '$lib/server/instance.ts';
import { knownReviewers, reviewerQueue } from '$lib/server/qa/calls.ts';
import { listSamples, sampleSummary } from '$lib/server/qa/sampling.ts';

const query = z.strictObject({
  reviewer: z.string().trim().min(1).max(100).optional(),
  sample: z.coerce.number().int().positive().optional(),
  status: z.enum(['todo', 'draft', 'submitted']).optional()
});

export const load: PageServerLoad = async ({ url }) => {
  const parsed = query.safeParse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
  if (!parsed.success) error(400, zodMessage(parsed.error));
  const { reviewer, sample, status } = parsed.data;
  const warehouse = await getWarehouse();
  const samples = await listSamples(warehouse);
  const all = reviewer ? await reviewerQueue(warehouse, reviewer, { sample }) : [];
  const current = sample ?? samples[0]?.sample_id;
  return {
    reviewer: reviewer ?? null,
    reviewers: await knownReviewers(warehouse),
    samples,
    sample: sample ?? null,
    status: status ?? null,
    calls: status ? all.filter((c) => c.status === status) : all,
    progress: { assigned: all.length, submitted: all.filter((c) => c.status === 'submitted').length, draft: all.filter((c) => c.status === 'draft').length },
    summary: current ? { sample_id: current, agents: await sampleSummary(warehouse, current) } : null
  };
};
