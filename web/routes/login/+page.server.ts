// A signed-in visitor of the sign-in page goes on to where they were going, or home.
import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { homeOf } from '$lib/auth/roles.ts';
import { safeNext } from './next.ts';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), homeOf(locals.user.role)));
  return {};
};
