// The review page's data: call facts, transcript, recording, auto-QA results and the reviewer's review.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { knownReviewers } from '$lib/server/qa/calls.ts';
import { reviewForm } from '$lib/server/qa/form.ts';

export const load: PageServerLoad = async ({ params, url }) => {
  const reviewer = url.searchParams.get('reviewer')?.trim() || null;
  const calibration = Number(url.searchParams.get('calibration'));
  const calibrationId = Number.isInteger(calibration) && calibration > 0 ? calibration : null;
  const warehouse = await getWarehouse();
  const form = await reviewForm(warehouse, params.call, reviewer, calibrationId);
  if (!form) error(404, `no call ${params.call}`);
  return { reviewer, reviewers: await knownReviewers(warehouse), form };
};
