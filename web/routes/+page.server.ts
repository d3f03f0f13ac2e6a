// The overview's figures, computed on the server from the named SQL (no HTTP round trip).
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { overviewQuery } from '$lib/server/api/overview.ts';
import { zodMessage } from '$lib/server/api/errors.ts';
import { getWarehouse } from '$lib/server/instance.ts';
import { overview } from '$lib/server/overview.ts';

export const load: PageServerLoad = async ({ url }) => {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));
  const parsed = overviewQuery.safeParse(raw);
  if (!parsed.success) error(400, zodMessage(parsed.error));
  const warehouse = await getWarehouse();
  return { overview: await overview(warehouse, parsed.data), timeZone: warehouse.timeZone };
};
