// An agent's own QA page: reviews, scores by week with intervals, advice, disputes.
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { agentQa, agentsWithReviews } from '$lib/server/qa/agent.ts';
import { getScorecard } from '$lib/server/qa/scorecard.ts';

export const load: PageServerLoad = async ({ url }) => {
  const agentId = url.searchParams.get('agent')?.trim() || null;
  const warehouse = await getWarehouse();
  const agents = await agentsWithReviews(warehouse);
  const itemNames: Record<string, Record<string, { name: string; name_en: string }>> = {};
  if (!agentId) return { agentId, agents, qa: null, itemNames };
  const qa = await agentQa(warehouse, agentId);
  // Item names of every scorecard version the reviews used.
  for (const r of qa.reviews) {
    const key = `${r.scorecard_id}:${r.scorecard_version}`;
    if (itemNames[key]) continue;
    const card = await getScorecard(warehouse, r.scorecard_id, r.scorecard_version);
    itemNames[key] = Object.fromEntries((card?.definition.sections ?? []).flatMap((s) => s.items.map((i) => [i.id, { name: i.name, name_en: i.name_en }])));
  }
  return { agentId, agents, qa, itemNames };
};
