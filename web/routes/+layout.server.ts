import type { LayoutServerLoad } from './$types';
import { describeUser } from '$lib/server/api/session.ts';

// The signed-in user and what they may do, for the menu and for hiding controls they cannot use
// (the server refuses those anyway).
export const load: LayoutServerLoad = ({ locals }) => ({ locale: locals.locale, user: locals.user ? describeUser(locals.user) : null });
