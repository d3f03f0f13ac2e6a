// The SQL workbench page: the schema with comments, the example queries, the saved queries, and
// the one named by ?q= (a shared link) to open in the editor.
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { examples, warehouseSchema } from '$lib/server/workbench/catalog.ts';
import { getQuery, listQueries } from '$lib/server/workbench/saved.ts';

export const load: PageServerLoad = async ({ url }) => {
  const warehouse = await getWarehouse();
  const q = url.searchParams.get('q');
  const [tables, saved, opened] = await Promise.all([warehouseSchema(warehouse), listQueries(warehouse), q ? getQuery(warehouse, q) : undefined]);
  return { tables, examples: examples(), saved, opened: opened ?? null, missing: q && !opened ? q : null };
};
