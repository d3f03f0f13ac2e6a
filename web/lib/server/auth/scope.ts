// Which agents' calls and reviews a user may see, beyond the route's permission: an agent only
// their own; a manager or reviewer limited to teams only those teams' agents; everyone else all.
import { can } from '../../auth/roles.ts';
import type { Warehouse } from '../warehouse.ts';
import type { User } from './users.ts';

/** An agent's view: their own calls and reviews only (no QA reviewing or reporting permission). */
export function ownCallsOnly(user: User): boolean {
  return !can(user.role, 'qa.review') && !can(user.role, 'qa.reports');
}

/** May the user see the calls and reviews of this agent? */
export async function mayViewAgent(warehouse: Warehouse, user: User, agentId: string | null): Promise<boolean> {
  if (ownCallsOnly(user)) return agentId !== null && agentId === user.agent_id;
  if (!user.teams) return true;
  if (agentId === null) return false;
  const agent = await warehouse.one<{ team_id: string | null }>(`SELECT team_id FROM agents WHERE agent_id = $id`, { id: agentId });
  return Boolean(agent?.team_id && user.teams.includes(agent.team_id));
}

/** May the user see this call (its facts, transcript, reviews, recording)? Unknown calls: false. */
export async function mayViewCall(warehouse: Warehouse, user: User, callId: string): Promise<boolean> {
  const call = await warehouse.one<{ agent_id: string | null }>(`SELECT agent_id FROM calls WHERE call_id = $id`, { id: callId });
  return call !== undefined && (await mayViewAgent(warehouse, user, call.agent_id));
}

/** SQL condition on an agent_id column for the user's scope, with its parameters (for lists). */
export function agentScope(user: User, column = 'agent_id'): { sql: string; params: Record<string, string | null> } {
  if (ownCallsOnly(user)) return { sql: `${column} = $scope_agent`, params: { scope_agent: user.agent_id ?? '' } };
  if (!user.teams) return { sql: 'true', params: {} };
  return { sql: `${column} IN (SELECT agent_id FROM agents WHERE list_contains($scope_teams::VARCHAR[], team_id))`, params: { scope_teams: JSON.stringify(user.teams) } };
}

export class ScopeError extends Error {}

/**
 * The team a team-scoped manager's or reviewer's dashboards show: the one asked for if it is
 * theirs, else their first; another team is refused. Users without teams get what they asked.
 */
export function scopedTeam(user: User, asked: string | null): string | null {
  if (!user.teams) return asked;
  if (asked && !user.teams.includes(asked)) throw new ScopeError(`team ${asked} is not one of yours (${user.teams.join(', ')})`);
  return asked ?? user.teams[0];
}
