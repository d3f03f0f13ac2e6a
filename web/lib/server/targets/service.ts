// Service targets (服务目标): the editable limits, goals and clocks of queries/metrics/ticket_sla.sql,
// and the working calendar that business-hour clocks count.
import { z } from 'zod';
import { queryRows, type Warehouse } from '../warehouse.ts';
import { recordAudit } from '../auth/audit.ts';

export const TICKET_TARGETS = ['callback_5min', 'complaint_received', 'department_contact', 'solution', 'callback_3d', 'complaint_cycle', 'callback_rate'] as const;
export const TARGETS = [...TICKET_TARGETS, 'satisfaction'] as const;
export type TargetId = (typeof TARGETS)[number];

export interface Target {
  target_id: TargetId;
  limit_hours: number | null;
  goal: number;
  clock: 'calendar' | 'business';
  updated_at: string | null;
}

export const targetUpdateSchema = z.strictObject({
  limit_hours: z.number().positive().max(24 * 365).nullable().optional(),
  goal: z.number().min(0).max(1),
  clock: z.enum(['calendar', 'business'])
});

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
export const calendarSchema = z
  .array(z.strictObject({ weekday: z.number().int().min(1).max(7), working: z.boolean(), starts: time, ends: time }))
  .length(7)
  .refine((days) => new Set(days.map((d) => d.weekday)).size === 7, 'one entry for each weekday 1–7')
  .refine((days) => days.every((d) => d.ends > d.starts), 'a working day ends after it starts');
export type CalendarDay = z.infer<typeof calendarSchema>[number];

export async function listTargets(warehouse: Warehouse): Promise<Target[]> {
  const rows = await warehouse.all<Target>(
    `SELECT target_id, limit_hours, goal, clock, strftime(updated_at, '%Y-%m-%d %H:%M') AS updated_at FROM sla_targets`
  );
  return TARGETS.map((id) => rows.find((r) => r.target_id === id)).filter((r): r is Target => Boolean(r));
}

export class TargetError extends Error {}

const TARGET_ROW = `SELECT target_id, limit_hours, goal, clock, strftime(updated_at, '%Y-%m-%d %H:%M') AS updated_at FROM sla_targets WHERE target_id = $id`;

/** Changes one target; the change and its audit record (target.update, before and after) commit together. */
export async function updateTarget(warehouse: Warehouse, id: string, update: z.infer<typeof targetUpdateSchema>, actor: string): Promise<Target> {
  if (!TARGETS.includes(id as TargetId)) throw new TargetError(`no service target "${id}" (known: ${TARGETS.join(', ')})`);
  const timed = TICKET_TARGETS.includes(id as (typeof TICKET_TARGETS)[number]) && id !== 'callback_rate';
  if (timed && !update.limit_hours) throw new TargetError(`${id} needs limit_hours, a time limit in hours`);
  return warehouse.transaction(async (conn) => {
    const [before] = await queryRows<Target>(conn, TARGET_ROW, { id });
    await conn.run(
      `UPDATE sla_targets SET limit_hours = $limit, goal = $goal, clock = $clock, updated_at = current_timestamp WHERE target_id = $id`,
      { id, limit: timed ? update.limit_hours! : null, goal: update.goal, clock: update.clock }
    );
    const [after] = await queryRows<Target>(conn, TARGET_ROW, { id });
    await recordAudit(conn, { actor, action: 'target.update', target: `target:${id}`, before: before ?? null, after });
    return after;
  });
}

export async function workCalendar(warehouse: Warehouse): Promise<CalendarDay[]> {
  return warehouse.all<CalendarDay>(CALENDAR);
}

const CALENDAR = `SELECT weekday::INTEGER AS weekday, working, left(starts::VARCHAR, 5) AS starts, left(ends::VARCHAR, 5) AS ends FROM work_calendar ORDER BY weekday`;

/** Replaces the working calendar; audited as calendar.update with the week before and after. */
export async function saveCalendar(warehouse: Warehouse, days: CalendarDay[], actor: string): Promise<void> {
  await warehouse.transaction(async (conn) => {
    const before = await queryRows<CalendarDay>(conn, CALENDAR);
    for (const d of days) {
      await conn.run(`UPDATE work_calendar SET working = $working, starts = $starts::TIME, ends = $ends::TIME WHERE weekday = $weekday`, d);
    }
    const after = await queryRows<CalendarDay>(conn, CALENDAR);
    await recordAudit(conn, { actor, action: 'calendar.update', target: 'calendar', before, after });
  });
}
