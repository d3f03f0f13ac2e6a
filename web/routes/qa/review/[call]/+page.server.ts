// The review page's data: call facts, transcript, recording, auto-QA results and a review. A
// reviewer sees and edits their own review; others with access (an agent their own call, a QA
// lead or manager any call in their scope) see the review they choose, read-only.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { reviewForm } from '$lib/server/qa/form.ts';
import { mayViewCall } from '$lib/server/auth/scope.ts';
import { reviewerAccounts } from '$lib/server/auth/users.ts';
import { can } from '$lib/auth/roles.ts';

export const load: PageServerLoad = async ({ params, url, locals }) => {
  const user = locals.user!;
  const warehouse = await getWarehouse();
  if (!(await mayViewCall(warehouse, user, params.call))) error(404, `no call ${params.call}`);
  const reviews = can(user.role, 'qa.review');
  const reviewer = url.searchParams.get('reviewer')?.trim() || (reviews ? user.username : null);
  const calibration = Number(url.searchParams.get('calibration'));
  const calibrationId = Number.isInteger(calibration) && calibration > 0 ? calibration : null;
  const form = await reviewForm(warehouse, params.call, reviewer, calibrationId);
  if (!form) error(404, `no call ${params.call}`);
  // Someone else's draft is their working copy.
  if (form.review && form.review.status === 'draft' && form.review.reviewer !== user.username) form.review = null;
  return {
    reviewer,
    editable: reviews && reviewer === user.username,
    canListen: can(user.role, 'recording.listen'),
    canUnredact: can(user.role, 'transcript.unredacted'),
    reviewers: await reviewerAccounts(warehouse),
    form
  };
};
