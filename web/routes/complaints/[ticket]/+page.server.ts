// One complaint: its cause and the evidence behind an automatic label, its timeline, its call.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { complaintDetail } from '$lib/server/complaints/detail.ts';
import { loadTaxonomy } from '$lib/server/complaints/taxonomy.ts';

export const load: PageServerLoad = async ({ params }) => {
  const warehouse = await getWarehouse();
  const detail = await complaintDetail(warehouse, params.ticket);
  if (!detail) error(404, `no complaint ${params.ticket}`);
  return { detail, taxonomy: await loadTaxonomy(warehouse) };
};
