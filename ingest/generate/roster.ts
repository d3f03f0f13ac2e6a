// Shifts, punches and leave: four rest days a month per agent, shifts from the domain's rosters
// (day 08:00–17:00, night 17:00–01:00 ending the next day, regular 09:00–18:00), punches with
// lateness, early leave, forgotten punches and absence, and leave requests with their approval.
import { Rng, WeightedPicker } from './random.ts';
import { Clock, SECONDS_PER_DAY } from './clock.ts';
import type { Agent, ShiftCode } from './people.ts';
import { isEmployed } from './people.ts';
import { DEVICES, LEAVE_KINDS } from './catalog.ts';

export const SHIFT_TIMES: Record<ShiftCode, { start: number; end: number }> = {
  day: { start: 8 * 3600, end: 17 * 3600 },
  night: { start: 17 * 3600, end: 25 * 3600 },
  regular: { start: 9 * 3600, end: 18 * 3600 }
};

/**
 * When a callback planned for t is made: callback specialists work the regular shift, so one
 * planned outside its hours (or in its last ten minutes) is made some time in the next shift.
 * t is seconds from the first day's local midnight.
 */
export function duringCallbackHours(t: number, rng: Rng): number {
  const { start, end } = SHIFT_TIMES.regular;
  const day = Math.floor(t / SECONDS_PER_DAY);
  const timeOfDay = t - day * SECONDS_PER_DAY;
  if (timeOfDay >= start && timeOfDay < end - 600) return t;
  return (timeOfDay < start ? day : day + 1) * SECONDS_PER_DAY + start + rng.uniform(0, end - start - 600);
}

export interface LeaveRecord {
  agent: Agent;
  startDay: number;
  endDay: number;
  kind: string;
  status: '已批准' | '未批准' | '已驳回';
}

/** When an agent is actually at the desk on a given day (from the punches). */
export interface Presence {
  agent: Agent;
  start: number;
  end: number;
}

export interface DayRoster {
  shiftRows: string[];
  /** Punch lines keyed by the month of the punch (a night out-punch may fall in the next month). */
  punches: Array<{ month: string; line: string }>;
  presences: Presence[];
}

export class Roster {
  readonly leaves: LeaveRecord[] = [];
  private restDays = new Map<number, Set<number>>();
  /** Day → agents off on leave that day (whether they were allowed to or not). */
  private awayDays = new Map<number, Set<number>>();
  private weekShift = new Map<string, ShiftCode>();
  private readonly leaveKinds = new WeightedPicker(LEAVE_KINDS.map((k) => k[0]), LEAVE_KINDS.map((k) => k[1]));

  constructor(private readonly rng: Rng, private readonly clock: Clock, private readonly agents: Agent[]) {}

  /** Plans rest days and leave for the month that starts at `firstDay` (within the period). */
  planMonth(firstDay: number): void {
    const { clock, rng } = this;
    const month = clock.days[firstDay].month;
    let lastDay = firstDay;
    while (lastDay + 1 < clock.dayCount && clock.days[lastDay + 1].month === month) lastDay++;
    const daysInMonth = new Date(Date.UTC(clock.days[firstDay].year, clock.days[firstDay].monthIndex + 1, 0)).getUTCDate();
    const span = lastDay - firstDay + 1;
    const restCount = Math.round((4 * span) / daysInMonth);
    const days: number[] = [];
    for (let d = firstDay; d <= lastDay; d++) days.push(d);
    // Weekend days are more likely to be rest days: volume is lower then.
    const weights = days.map((d) => (clock.days[d].weekday >= 5 ? 2.6 : 1));
    for (const agent of this.agents) {
      const picker = new WeightedPicker(days, weights);
      const rest = new Set<number>();
      for (let tries = 0; rest.size < restCount && tries < 100; tries++) rest.add(picker.draw(rng));
      this.restDays.set(agent.index, new Set([...(this.restDays.get(agent.index) ?? []), ...rest]));
      if (rng.chance(0.16)) {
        const startDay = rng.int(firstDay, lastDay);
        const endDay = Math.min(lastDay, startDay + (rng.chance(0.6) ? 0 : rng.int(1, 3)));
        const roll = rng.float();
        const status = roll < 0.84 ? '已批准' : roll < 0.93 ? '未批准' : '已驳回';
        this.leaves.push({ agent, startDay, endDay, kind: this.leaveKinds.draw(rng), status });
        // Approved leave is taken; an unapproved or rejected one is often taken anyway (absence).
        const takes = status === '已批准' || rng.chance(0.55);
        if (takes) {
          for (let d = startDay; d <= endDay; d++) {
            if (!this.awayDays.has(d)) this.awayDays.set(d, new Set());
            this.awayDays.get(d)!.add(agent.index);
          }
        }
      }
    }
  }

  private shiftFor(agent: Agent, day: number): ShiftCode {
    const week = Math.floor(day / 7);
    const key = `${agent.index}:${week}`;
    let code = this.weekShift.get(key);
    if (!code) {
      const w = agent.shiftWeights;
      const x = this.rng.float() * (w.day + w.regular + w.night);
      code = x < w.day ? 'day' : x < w.day + w.regular ? 'regular' : 'night';
      this.weekShift.set(key, code);
    }
    return code;
  }

  day(day: number): DayRoster {
    const { clock, rng } = this;
    const result: DayRoster = { shiftRows: [], punches: [], presences: [] };
    const iso = clock.isoDate(day);
    const away = this.awayDays.get(day);
    for (const agent of this.agents) {
      if (!isEmployed(agent, day) || this.restDays.get(agent.index)?.has(day)) continue;
      const code = this.shiftFor(agent, day);
      const start = day * SECONDS_PER_DAY + SHIFT_TIMES[code].start;
      const end = day * SECONDS_PER_DAY + SHIFT_TIMES[code].end;
      result.shiftRows.push(`${agent.id},${iso},${code},${clock.stamp(start)},${clock.stamp(end)}`);
      if (away?.has(agent.index) || rng.chance(agent.absentRate)) continue;
      const late = rng.chance(agent.lateRate);
      const inAt = late ? start + 60 + Math.round(rng.exponential(12 * 60)) : start - Math.round(rng.uniform(60, 20 * 60));
      const early = rng.chance(agent.earlyRate);
      const outAt = early ? end - Math.round(rng.uniform(10 * 60, 100 * 60)) : end + Math.round(rng.uniform(10, 18 * 60));
      const device = DEVICES[agent.index % 2 === 0 ? 0 : 1 + (day % 2)];
      result.punches.push({ month: clock.days[clock.dayOf(inAt)].month, line: `${agent.id},${agent.name},${clock.slashStamp(inAt)},上班,${device}` });
      // Some punch-outs are forgotten.
      if (!rng.chance(0.006)) {
        result.punches.push({ month: clock.days[clock.dayOf(outAt)].month, line: `${agent.id},${agent.name},${clock.slashStamp(outAt)},下班,${device}` });
      }
      result.presences.push({ agent, start: Math.max(start, inAt), end: Math.min(end, outAt) });
      this.restDays.get(agent.index)?.delete(day - 40);
    }
    this.awayDays.delete(day);
    return result;
  }
}
