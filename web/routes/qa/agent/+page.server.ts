// An agent's QA page: reviews, scores by week with intervals, advice, disputes. An agent sees
// their own and may dispute; QA leads and managers choose an agent in their scope, read-only.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { agentQa, agentsWithReviews } from '$lib/server/qa/agent.ts';
import { getScorecard } from '$lib/server/qa/scorecard.ts';
import { mayViewAgent, ownCallsOnly } from '$lib/server/auth/scope.ts';

export const load: PageServerLoad = async ({ url, locals }) => {
  const user = locals.user!;
  const warehouse = await getWarehouse();
  const own = ownCallsOnly(user);
  const agentId = own ? user.agent_id : url.searchParams.get('agent')?.trim() || null;
  if (agentId && !(await mayViewAgent(warehouse, user, agentId))) error(404, `no agent ${agentId} in your teams`);
  const agents = [];
  if (!own) for (const a of await agentsWithReviews(warehouse)) if (await mayViewAgent(warehouse, user, a.agent_id)) agents.push(a);
  const itemNames: Record<string, Record<string, { name: string; name_en: string }>> = {};
  const canDispute = Boolean(user.agent_id && user.agent_id === agentId);
  if (!agentId) return { agentId, agents, own, canDispute, qa: null, itemNames };
  const qa = await agentQa(warehouse, agentId);
  // Item names of every scorecard version the reviews used.
  for (const r of qa.reviews) {
    const key = `${r.scorecard_id}:${r.scorecard_version}`;
    if (itemNames[key]) continue;
    const card = await getScorecard(warehouse, r.scorecard_id, r.scorecard_version);
    itemNames[key] = Object.fromEntries((card?.definition.sections ?? []).flatMap((s) => s.items.map((i) => [i.id, { name: i.name, name_en: i.name_en }])));
  }
  return { agentId, agents, own, canDispute, qa, itemNames };
};
