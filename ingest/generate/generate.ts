// zhijian generate: writes a complete, deterministic demo export (the native formats of the
// brief) for a seed. Day by day: roster → punches → calls → tickets, streamed to files.
import cliProgress from 'cli-progress';
import { Rng } from './random.ts';
import { Clock, addDaysIso } from './clock.ts';
import { QUEUES, WEEKDAY_ARRIVALS } from './catalog.ts';
import { agentCsvRow, buildStaff, roleCounts } from './people.ts';
import { Roster } from './roster.ts';
import { TicketFactory } from './tickets.ts';
import { CALLS_PER_LINE_AGENT_DAY, CallSimulator } from './calls.ts';
import { planTranscriptSlots } from './transcripts.ts';
import { leavesWorkbook } from './leaves.ts';
import { OutputDir } from './output.ts';
import type { FileEntry, TextFile } from './output.ts';
import { csvField } from './csv.ts';

/** The default period ends on this day, whatever day it is today (output depends only on options). */
export const DEFAULT_END = '2026-10-31';
export const DEFAULT_AGENTS = 60;
export const DEFAULT_DAYS = 120;
const TRANSCRIPT_COUNT = 40;
/** Call rows per fresh inbound call: repeats, retries, transfer legs, callbacks (measured). */
const ROWS_PER_FRESH_CALL = 1.43;

export const HEADERS = {
  agents: 'agent_id,name,team_id,team_name,role,hired_on,left_on',
  queues: 'queue_id,name,kind,language',
  calls: 'call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved',
  tickets: 'ticket_id,type,status,severity,cause_group,cause,sub_cause,department,channel,customer_number,customer_name,call_id,opened_by,opened_at,promised_callback_at,received_due_at,contact_due_at,solution_due_at,callback_due_at,closed_at,summary,major',
  shifts: 'agent_id,shift_date,shift_code,starts_at,ends_at',
  punches: '工号,姓名,打卡时间,打卡类型,设备'
} as const;

export interface GenerateOptions {
  out: string;
  seed: number;
  agents: number;
  days: number;
  start: string;
  /** Approximate total call rows wanted; sizes the per-day volume (see planSize). */
  calls?: number;
  /** Shows a progress bar on stderr. */
  progress?: boolean;
}

export interface Manifest {
  generator: 'zhijian generate';
  format: 1;
  seed: number;
  time_zone: 'Asia/Shanghai';
  options: { agents: number; days: number; start: string; end: string; calls: number | null };
  files: FileEntry[];
}

export interface SizeRequest {
  agents?: number;
  days?: number;
  calls?: number;
  start?: string;
}

/**
 * Resolves agents, days and start. With --calls, whichever of --agents / --days was not given is
 * scaled so the load per agent stays realistic (agents by default: 10 M calls over 120 days is
 * a center of about 1,700 people); giving all three is refused.
 */
export function planSize(req: SizeRequest): { agents: number; days: number; start: string } {
  const lineShare = (a: number) => roleCounts(a).agent;
  const rowsPerDayPerLine = CALLS_PER_LINE_AGENT_DAY * ROWS_PER_FRESH_CALL;
  let agents = req.agents ?? DEFAULT_AGENTS;
  let days = req.days ?? DEFAULT_DAYS;
  if (req.calls !== undefined) {
    if (req.agents !== undefined && req.days !== undefined) {
      throw new Error('give at most two of --agents, --days and --calls (the third follows from them)');
    }
    if (req.agents === undefined) {
      agents = 6;
      while (lineShare(agents) * rowsPerDayPerLine * days < req.calls) agents++;
    } else {
      days = Math.max(1, Math.round(req.calls / (lineShare(agents) * rowsPerDayPerLine)));
    }
  }
  const start = req.start ?? addDaysIso(DEFAULT_END, -(days - 1));
  return { agents, days, start };
}

/** Average of the weekly curve and trend over the period, to turn a total into a daily volume. */
function meanDayFactor(clock: Clock): number {
  let sum = 0;
  for (let d = 0; d < clock.dayCount; d++) sum += WEEKDAY_ARRIVALS[clock.days[d].weekday] * (1 + (0.1 * d) / 365);
  return sum / clock.dayCount;
}

function progressBar(days: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    { format: 'generate [{bar}] {percentage}% | day {value}/{total} | {calls} calls', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic
  );
  bar.start(days, 0, { calls: 0 });
  return bar;
}

export async function generate(opts: GenerateOptions): Promise<Manifest> {
  const clock = new Clock(opts.start, opts.days);
  const root = new Rng(opts.seed);
  // Separate streams per part, so changing one part's draws does not reshuffle the others.
  const staffRng = root.fork();
  const rosterRng = root.fork();
  const callRng = root.fork();
  const ticketRng = root.fork();
  const slotRng = root.fork();

  const out = new OutputDir(opts.out);
  out.prepare();

  const staff = buildStaff(staffRng, opts.agents, opts.days);
  const agentsFile = out.text('agents.csv', HEADERS.agents);
  for (const agent of staff.agents) agentsFile.line(agentCsvRow(agent, opts.start));
  const queuesFile = out.text('queues.csv', HEADERS.queues);
  for (const q of QUEUES) queuesFile.line([q.queue_id, csvField(q.name), q.kind, q.language].join(','));

  const ticketsFile = out.text('tickets.csv', HEADERS.tickets);
  const eventsFile = out.text('ticket_events.jsonl', null);
  const shiftsFile = out.text('shifts.csv', HEADERS.shifts);
  const callFiles = new MonthlyFiles(out, (m) => `calls/calls-${m}.csv`, HEADERS.calls, 'utf8');
  const punchFiles = new MonthlyFiles(out, (m) => `attendance/punches-${m}.csv`, HEADERS.punches, 'gb18030');

  const tickets = new TicketFactory(ticketRng, clock, {
    complaintHandlers: staff.byRole.complaint_handler,
    callbackSpecialists: staff.byRole.callback_specialist,
    teamLeads: staff.byRole.team_lead
  });
  const dailyVolume =
    opts.calls !== undefined
      ? opts.calls / (opts.days * meanDayFactor(clock) * ROWS_PER_FRESH_CALL)
      : staff.lineAgents.length * CALLS_PER_LINE_AGENT_DAY;
  const sim = new CallSimulator(callRng, clock, staff, tickets, planTranscriptSlots(TRANSCRIPT_COUNT, opts.days, slotRng), {
    call: (month, line) => callFiles.get(month).line(line),
    ticket: (t) => {
      ticketsFile.line(t.row);
      for (const e of t.events) eventsFile.line(e);
    },
    transcript: (t) => out.writeWhole(`transcripts/${t.call_id}.json`, JSON.stringify(t, null, 2) + '\n', t.utterances.length)
  }, dailyVolume);
  const roster = new Roster(rosterRng, clock, staff.agents);

  const bar = opts.progress ? progressBar(opts.days) : null;

  for (let day = 0; day < opts.days; day++) {
    const { month } = clock.days[day];
    if (day === 0 || clock.days[day - 1].month !== month) {
      roster.planMonth(day);
      await callFiles.closeBefore(month);
      await punchFiles.closeBefore(month);
    }
    const today = roster.day(day);
    for (const line of today.shiftRows) shiftsFile.line(line);
    for (const p of today.punches) punchFiles.get(p.month).line(p.line);
    sim.simulateDay(day, today.presences);
    // Backpressure: let the disk catch up before producing the next day.
    await Promise.all([callFiles.drain(), punchFiles.drain(), ticketsFile.drain(), eventsFile.drain(), shiftsFile.drain()]);
    bar?.update(day + 1, { calls: sim.stats.calls });
  }
  bar?.stop();

  out.writeWhole('leaves.xlsx', await leavesWorkbook(roster.leaves, clock), roster.leaves.length);
  await out.closeAll();
  const manifest: Manifest = {
    generator: 'zhijian generate',
    format: 1,
    seed: opts.seed,
    time_zone: 'Asia/Shanghai',
    options: { agents: opts.agents, days: opts.days, start: opts.start, end: clock.isoDate(opts.days - 1), calls: opts.calls ?? null },
    files: out.entries()
  };
  out.commit(manifest);
  return manifest;
}

/** One file per month (calls, punches); months left behind are closed as the run moves on. */
class MonthlyFiles {
  private readonly open = new Map<string, TextFile>();

  constructor(
    private readonly out: OutputDir,
    private readonly pathFor: (month: string) => string,
    private readonly header: string,
    private readonly encoding: 'utf8' | 'gb18030'
  ) {}

  get(month: string): TextFile {
    let file = this.open.get(month);
    if (!file) {
      file = this.out.text(this.pathFor(month), this.header, this.encoding);
      this.open.set(month, file);
    }
    return file;
  }

  /** Closes files of months before the one before `month` (a night shift may spill into it). */
  async closeBefore(month: string): Promise<void> {
    const [y, m] = month.split('-').map(Number);
    const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    for (const [key, file] of this.open) {
      if (key < prev) {
        await file.close();
        this.open.delete(key);
      }
    }
  }

  async drain(): Promise<void> {
    for (const file of this.open.values()) await file.drain();
  }
}
