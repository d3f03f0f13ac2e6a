// The reviewer's queue: the calls drawn for the signed-in reviewer, progress against the draw's
// quota, filters; and the latest draws with each agent's sample size and score interval.
// Administrators may open any reviewer's queue (?reviewer=).
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { zodMessage } from '$lib/server/api/errors.ts';
import { getWarehouse } from '$lib/server/instance.ts';
import { reviewerQueue } from '$lib/server/qa/calls.ts';
import { listSamples, sampleSummary } from '$lib/server/qa/sampling.ts';
import { reviewerAccounts } from '$lib/server/auth/users.ts';
import { can } from '$lib/auth/roles.ts';

const query = z.strictObject({
  reviewer: z.string().trim().min(1).max(100).optional(),
  sample: z.coerce.number().int().positive().optional(),
  status: z.enum(['todo', 'draft', 'submitted']).optional()
});

export const load: PageServerLoad = async ({ url, locals }) => {
  const user = locals.user!;
  const parsed = query.safeParse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
  if (!parsed.success) error(400, zodMessage(parsed.error));
  const { sample, status } = parsed.data;
  const canChoose = can(user.role, 'users.manage');
  const reviewer = canChoose ? (parsed.data.reviewer ?? (user.role === 'reviewer' ? user.username : null)) : user.username;
  const warehouse = await getWarehouse();
  const samples = await listSamples(warehouse);
  const all = reviewer ? await reviewerQueue(warehouse, reviewer, { sample }) : [];
  const current = sample ?? samples[0]?.sample_id;
  return {
    reviewer,
    canChoose,
    reviewers: await reviewerAccounts(warehouse),
    samples,
    sample: sample ?? null,
    status: status ?? null,
    calls: status ? all.filter((c) => c.status === status) : all,
    progress: { assigned: all.length, submitted: all.filter((c) => c.status === 'submitted').length, draft: all.filter((c) => c.status === 'draft').length },
    summary: current ? { sample_id: current, agents: await sampleSummary(warehouse, current) } : null
  };
};
