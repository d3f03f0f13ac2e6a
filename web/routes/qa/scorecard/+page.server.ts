// The scorecard editor: the active scorecard and its versions; saving (administrators) adds a version.
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { can } from '$lib/auth/roles.ts';
import { activeScorecard, getScorecard, scorecardVersions } from '$lib/server/qa/scorecard.ts';

export const load: PageServerLoad = async ({ url, locals }) => {
  const warehouse = await getWarehouse();
  const active = await activeScorecard(warehouse);
  const asked = Number(url.searchParams.get('version'));
  const shown = Number.isInteger(asked) && asked > 0 ? ((await getScorecard(warehouse, active.id, asked)) ?? active) : active;
  return { active: { id: active.id, version: active.version }, scorecard: shown, versions: await scorecardVersions(warehouse, active.id), canEdit: can(locals.user!.role, 'scorecard.edit') };
};
