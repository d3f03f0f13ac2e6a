// The accounts (users.manage: the hook checked it before this load runs) and the teams an
// account can be limited to.
import type { PageServerLoad } from './$types';
import { getWarehouse } from '$lib/server/instance.ts';
import { listUsers } from '$lib/server/auth/users.ts';

export const load: PageServerLoad = async () => {
  const warehouse = await getWarehouse();
  const [users, teams] = await Promise.all([listUsers(warehouse), warehouse.all<{ team_id: string; name: string }>(`SELECT team_id, name FROM teams ORDER BY team_id`)]);
  return { users, teams };
};
