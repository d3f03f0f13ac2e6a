// The audit trail, newest first, filtered by who, what and a target prefix, a page at a time
// (audit.view: the hook checked it before this load runs).
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { auditQuerySchema, listAudit } from '$lib/server/auth/audit.ts';

const PAGE = 100;

export const load: PageServerLoad = async ({ url }) => {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''));
  const parsed = auditQuerySchema.safeParse({ ...raw, limit: PAGE + 1 });
  if (!parsed.success) error(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const warehouse = await getWarehouse();
  const [records, actions] = await Promise.all([
    listAudit(warehouse, parsed.data),
    warehouse.all<{ action: string }>(`SELECT DISTINCT action FROM restricted.audit_log ORDER BY action`)
  ]);
  return {
    records: records.slice(0, PAGE),
    // One more than a page came back: there are older records.
    olderThan: records.length > PAGE ? records[PAGE - 1].audit_id : null,
    actions: actions.map((a) => a.action),
    filter: { actor: parsed.data.actor ?? '', action: parsed.data.action ?? '', target: parsed.data.target ?? '', before_id: parsed.data.before_id ?? null }
  };
};
