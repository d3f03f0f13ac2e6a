// Calibration sessions: set one up, see who still has to score, and the agreement report;
// and, across all reviews, how well auto-QA agrees with the reviewers per item.
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { autoHumanAgreement, calibrationReport, listCalibrations } from '$lib/server/qa/calibration.ts';
import { reviewerAccounts } from '$lib/server/auth/users.ts';
import { activeScorecard, scorecardItems } from '$lib/server/qa/scorecard.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const id = Number(url.searchParams.get('id'));
  const report = Number.isInteger(id) && id > 0 ? await calibrationReport(warehouse, id) : null;
  const card = await activeScorecard(warehouse);
  return {
    sessions: await listCalibrations(warehouse),
    reviewers: await reviewerAccounts(warehouse),
    report,
    auto: await autoHumanAgreement(warehouse),
    itemNames: Object.fromEntries(scorecardItems(card.definition).map((i) => [i.id, { name: i.name, name_en: i.name_en }]))
  };
};
