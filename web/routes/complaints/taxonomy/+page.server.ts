// The cause taxonomy, editable: names, departments and keywords per cause, or a whole JSON import.
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { loadTaxonomy } from '$lib/server/complaints/taxonomy.ts';

export const load: PageServerLoad = async () => {
  const warehouse = await getWarehouse();
  return { taxonomy: await loadTaxonomy(warehouse) };
};
