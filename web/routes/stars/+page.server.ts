import type { PageServerLoad } from './$types';
import { loadStars, shiftMonth } from './load.ts';

export const load: PageServerLoad = async ({ url }) => {
  const data = await loadStars(url);
  return { ...data, previous: data.month ? shiftMonth(data.month, -1) : null, next: data.month ? shiftMonth(data.month, 1) : null };
};
