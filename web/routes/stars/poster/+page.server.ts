import type { PageServerLoad } from './$types';
import { loadStars } from '../load.ts';

export const load: PageServerLoad = async ({ url }) => loadStars(url);
