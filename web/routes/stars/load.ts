// Shared by the star list and its poster: the month (default: the latest with calls) and its list.
import { error } from '@sveltejs/kit';
import { getWarehouse } from '$lib/server/instance.ts';
import { monthSchema, starList } from '$lib/server/stars/service.ts';

export async function loadStars(url: URL) {
  const warehouse = await getWarehouse();
  let month = url.searchParams.get('month') || null;
  if (month && !monthSchema.safeParse(month).success) error(400, `month: expected YYYY-MM, got "${month}"`);
  month ??= (await warehouse.one<{ m: string | null }>(`SELECT strftime(max(enqueued_at)::DATE, '%Y-%m') AS m FROM calls`))?.m ?? null;
  if (!month) return { month: null, list: null };
  return { month, list: await starList(warehouse, month) };
}

/** The month before or after a YYYY-MM month. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}
