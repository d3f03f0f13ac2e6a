// Arbitration of disputes (申诉): open ones with the disputed item's score and allowed scores, then the
// decided ones; in the user's team scope. Deciding needs qa.arbitrate (managers, administrators).
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { mayViewAgent } from '$lib/server/auth/scope.ts';
import { can } from '$lib/auth/roles.ts';
import { latestReview, listDisputes } from '$lib/server/qa/reviews.ts';
import { getScorecard, scorecardItems } from '$lib/server/qa/scorecard.ts';

export const load: PageServerLoad = async ({ locals }) => {
  const user = locals.user!;
  const warehouse = await getWarehouse();
  const disputes = await listDisputes(warehouse);
  const rows = [];
  for (const d of disputes) {
    if (!(await mayViewAgent(warehouse, user, d.agent_id))) continue;
    const review = (await latestReview(warehouse, d.review_id))!;
    const card = await getScorecard(warehouse, review.scorecard_id, review.scorecard_version);
    const item = card ? scorecardItems(card.definition).find((i) => i.id === d.item_id) : undefined;
    const current = review.items.find((i) => i.item_id === d.item_id);
    rows.push({
      ...d,
      call_id: review.call_id,
      reviewer: review.reviewer,
      review_score: review.score,
      item: item ? { name: item.name, name_en: item.name_en, scores: item.scores, na_allowed: item.na_allowed } : null,
      current: current ? { score: current.score, na: current.na, comment: current.comment } : null
    });
  }
  // The signed-in arbitrator decides; the server refuses the agent and the reviewer of the review.
  return { disputes: rows, canDecide: can(user.role, 'qa.arbitrate') };
};
