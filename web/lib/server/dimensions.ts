// The center's queues, teams and agents that pages offer as filters and name in their figures,
// read once until one of their tables is written (cache.ts).
import type { Warehouse } from './warehouse.ts';
import { resultCache } from './cache.ts';

export interface Dimensions {
  queues: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  agents: { id: string; name: string; team_id: string | null }[];
}

export async function dimensions(warehouse: Warehouse): Promise<Dimensions> {
  return resultCache(warehouse).get(warehouse, 'dimensions', null, () => readDimensions(warehouse), { light: true });
}

async function readDimensions(warehouse: Warehouse): Promise<Dimensions> {
  const [queues, teams, agents] = await Promise.all([
    warehouse.all<{ id: string; name: string }>('SELECT queue_id AS id, name FROM queues ORDER BY queue_id'),
    warehouse.all<{ id: string; name: string }>('SELECT team_id AS id, name FROM teams ORDER BY team_id'),
    warehouse.all<{ id: string; name: string; team_id: string | null }>(
      `SELECT agent_id AS id, name, team_id FROM agents WHERE agent_id IN (SELECT DISTINCT agent_id FROM calls WHERE agent_id IS NOT NULL) ORDER BY agent_id`
    )
  ]);
  return { queues, teams, agents };
}
