// The staff: agents in teams of about ten, their roles, tenure and the skill that shows in the data
// (handle time, survey scores, resolution, lateness).
import { Rng, WeightedPicker } from './random.ts';
import { GIVEN_NAME_CHARS, SURNAMES, TEAM_NAMES } from './catalog.ts';
import { addDaysIso } from './clock.ts';

export type Role = 'agent' | 'team_lead' | 'complaint_handler' | 'callback_specialist' | 'info_desk';
export type ShiftCode = 'day' | 'night' | 'regular';

export interface Agent {
  index: number;
  id: string;
  name: string;
  teamId: string;
  teamName: string;
  role: Role;
  /** Day index (relative to the first simulated day) of the first and last working day. */
  hiredDay: number;
  leftDay: number | null;
  /** Standard-normal skill: higher means shorter handling, better surveys, more first-contact resolution. */
  skill: number;
  /** Chance per shift of punching in late, leaving early, being absent without leave. */
  lateRate: number;
  earlyRate: number;
  absentRate: number;
  /** Preferred shifts and their weights (line agents rotate; others keep office hours). */
  shiftWeights: Record<ShiftCode, number>;
}

export interface Team {
  id: string;
  name: string;
  leadId: string;
}

export interface Staff {
  agents: Agent[];
  teams: Team[];
  lineAgents: Agent[];
  byRole: Record<Role, Agent[]>;
  /** Median skill of line agents, to tell the better half from the other. */
  medianSkill: number;
}

/** How many of each support role a staff of `total` gets; the rest answer the queues. */
export function roleCounts(total: number): Record<Role, number> {
  const teams = Math.max(1, Math.round(total / 10));
  const counts = {
    team_lead: teams,
    complaint_handler: Math.max(1, Math.round(total / 20)),
    // Every ticket is called back (回访率 100 %) and line agents open some fifteen a day each: a
    // desk of one in ten makes about a hundred callbacks a day per specialist.
    callback_specialist: Math.max(1, Math.round(total / 10)),
    info_desk: Math.max(1, Math.round(total / 30)),
    agent: 0
  };
  counts.agent = total - counts.team_lead - counts.complaint_handler - counts.callback_specialist - counts.info_desk;
  return counts;
}

export function buildStaff(rng: Rng, total: number, dayCount: number): Staff {
  const counts = roleCounts(total);
  if (counts.agent < 2) throw new Error(`--agents ${total} is too few: at least 6 are needed`);
  const teamCount = counts.team_lead;
  const teams: Team[] = [];
  const surnames = new WeightedPicker(SURNAMES.map((s) => s[0]), SURNAMES.map((s) => s[1]));
  const usedNames = new Set<string>();
  const nameFor = () => {
    for (;;) {
      const given = rng.chance(0.55)
        ? rng.pick(GIVEN_NAME_CHARS) + rng.pick(GIVEN_NAME_CHARS)
        : rng.pick(GIVEN_NAME_CHARS);
      const name = surnames.draw(rng) + given;
      if (!usedNames.has(name) || usedNames.size > 20_000) {
        usedNames.add(name);
        return name;
      }
    }
  };

  const roles: Role[] = [];
  for (const role of ['team_lead', 'complaint_handler', 'callback_specialist', 'info_desk', 'agent'] as Role[]) {
    for (let i = 0; i < counts[role]; i++) roles.push(role);
  }
  const agents: Agent[] = [];
  let teamCursor = 0;
  roles.forEach((role, index) => {
    const teamNo = role === 'team_lead' ? index : teamCursor++ % teamCount;
    const teamId = `T${String(teamNo + 1).padStart(2, '0')}`;
    const teamName = TEAM_NAMES[teamNo] ?? `${teamNo + 1}组`;
    const id = String(1001 + index);
    if (role === 'team_lead') teams.push({ id: teamId, name: teamName, leadId: id });
    // Most staff were hired before the period; a few join during it (and start less skilled),
    // a few leave before its end.
    const newHire = role === 'agent' && rng.chance(0.08);
    const hiredDay = newHire ? rng.int(1, Math.max(1, Math.floor(dayCount * 0.7))) : -rng.int(60, 2400);
    const leftDay = role === 'agent' && !newHire && rng.chance(0.05) ? rng.int(Math.floor(dayCount / 3), dayCount - 1) : null;
    const seniority = role === 'agent' ? 0 : 0.6;
    const skill = rng.normal() * 0.9 + seniority - (newHire ? 0.7 : 0);
    const night = role === 'agent' ? rng.uniform(0.2, 0.42) : role === 'team_lead' ? 0.3 : 0;
    agents.push({
      index,
      id,
      name: nameFor(),
      teamId,
      teamName,
      role,
      hiredDay,
      leftDay,
      skill,
      lateRate: Math.min(0.2, rng.lognormal(0.03, 0.8) * (skill < -0.5 ? 1.6 : 1)),
      earlyRate: Math.min(0.1, rng.lognormal(0.015, 0.7)),
      absentRate: Math.min(0.05, rng.lognormal(0.006, 0.8)),
      shiftWeights: role === 'agent' || role === 'team_lead'
        ? { day: (1 - night) * 0.52, regular: (1 - night) * 0.48, night }
        : { day: 0, regular: 1, night: 0 }
    });
  });
  const byRole = { agent: [], team_lead: [], complaint_handler: [], callback_specialist: [], info_desk: [] } as Record<Role, Agent[]>;
  for (const a of agents) byRole[a.role].push(a);
  const lineSkills = byRole.agent.map((a) => a.skill).sort((x, y) => x - y);
  return {
    agents,
    teams,
    lineAgents: byRole.agent,
    byRole,
    medianSkill: lineSkills[Math.floor(lineSkills.length / 2)]
  };
}

/** Skill on a given day: new hires learn over their first two months. */
export function skillOn(agent: Agent, day: number): number {
  const tenure = day - agent.hiredDay;
  return tenure >= 60 ? agent.skill : agent.skill - 0.6 * (1 - tenure / 60);
}

export function agentCsvRow(agent: Agent, startIso: string): string {
  const left = agent.leftDay === null ? '' : addDaysIso(startIso, agent.leftDay);
  return [agent.id, agent.name, agent.teamId, agent.teamName, agent.role, addDaysIso(startIso, agent.hiredDay), left].join(',');
}

export function isEmployed(agent: Agent, day: number): boolean {
  return day >= agent.hiredDay && (agent.leftDay === null || day <= agent.leftDay);
}
