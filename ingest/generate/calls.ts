// The call simulation. Callers arrive by an intraday and weekly curve with a slow trend, wait in
// first-come-first-served order for the first free agent on shift (so waits follow load and
// staffing), give up when their patience runs out, talk / hold / wrap for lognormal times shaped
// by the agent's skill, get transferred, call again when not resolved, and answer surveys.
// Calls are produced day by day and handed to the writer at once: nothing accumulates.
import { Rng, WeightedPicker } from './random.ts';
import { Clock, SECONDS_PER_DAY } from './clock.ts';
import { HOURLY_ARRIVALS, MOBILE_PREFIXES, QUEUES, WEEKDAY_ARRIVALS } from './catalog.ts';
import type { QueueDef } from './catalog.ts';
import { MinHeap } from './heap.ts';
import { skillOn } from './people.ts';
import type { Agent, Staff } from './people.ts';
import type { Presence } from './roster.ts';
import { duringCallbackHours } from './roster.ts';
import { TicketFactory } from './tickets.ts';
import type { TicketOutput, TicketType } from './tickets.ts';
import { scriptCall } from './transcripts.ts';
import type { Transcript, TranscriptSlot } from './transcripts.ts';

/** Fresh inbound calls per line agent per average day; about 85 % occupancy at the peaks. */
export const CALLS_PER_LINE_AGENT_DAY = 80;
const HOURLY_TOTAL = HOURLY_ARRIVALS.reduce((a, b) => a + b, 0);
/** The IVR's opening hours follow the shifts: the night shift ends at 01:00, the day shift starts at 08:00. */
const CLOSES_AT_S = 1 * 3600;
const OPENS_AT_S = 8 * 3600;

export interface CallSink {
  call(month: string, line: string): void;
  ticket(ticket: TicketOutput): void;
  transcript(transcript: Transcript): void;
}

interface AgentSlot {
  key: number; // when the agent is next free
  end: number; // end of presence: takes no call after this
  agent: Agent;
}

interface PendingCall {
  key: number; // when the caller dials
  number: string;
  queue: QueueDef;
  attempt: number;
}

interface OutboundCall {
  at: number;
  number: string;
  agent: Agent;
  queueId: string;
  reached: boolean;
}

export interface CallStats {
  calls: number;
}

export class CallSimulator {
  private readonly agentHeap = new MinHeap<AgentSlot>();
  private pendingPresence: Presence[] = [];
  private readonly repeats = new MinHeap<PendingCall>();
  private readonly outbound = new Map<number, OutboundCall[]>();
  private readonly queuePicker: WeightedPicker<QueueDef>;
  private readonly queueById = new Map(QUEUES.map((q) => [q.queue_id, q]));
  private readonly numberSalt: number;
  private readonly poolSize: number;
  private callSeq = 0;
  readonly stats: CallStats = { calls: 0 };

  constructor(
    private readonly rng: Rng,
    private readonly clock: Clock,
    private readonly staff: Staff,
    private readonly tickets: TicketFactory,
    private readonly slots: Map<number, TranscriptSlot[]>,
    private readonly sink: CallSink,
    /** Expected fresh inbound calls per average day. */
    private readonly dailyVolume: number
  ) {
    this.queuePicker = new WeightedPicker(QUEUES, QUEUES.map((q) => q.share));
    this.numberSalt = rng.int(0, 99_999_999);
    // Customers: a pool sized to the volume, so some numbers come back over the months while
    // most repeat calls within days come from unresolved contacts.
    this.poolSize = Math.max(2000, Math.round(dailyVolume * clock.dayCount * 1.5));
  }

  /** A distinct realistic mobile number for each pool index (1[3-9]x + 8 digits). */
  private customerNumber(index: number): string {
    const prefix = MOBILE_PREFIXES[index % MOBILE_PREFIXES.length];
    const rest = (Math.floor(index / MOBILE_PREFIXES.length) * 48_271 + this.numberSalt) % 100_000_000;
    return prefix + String(rest).padStart(8, '0');
  }

  private nextCallId(t: number): string {
    return `${this.clock.epoch(t)}.${++this.callSeq}`;
  }

  private write(t: number, line: string): void {
    // A transfer's second leg can start after the period's last midnight: not part of this export.
    if (t >= this.clock.endS) return;
    this.sink.call(this.clock.days[this.clock.dayOf(t)].month, line);
    this.stats.calls++;
  }

  private row(
    id: string, direction: string, disposition: string, queueId: string, agentId: string, number: string,
    enqueued: number, answered: number | null, ended: number, wait: number, talk: number, hold: number, wrap: number,
    transferredTo: string, recording: string, survey: number | null, resolved: boolean | null
  ): void {
    const c = this.clock;
    this.write(
      enqueued,
      `${id},${direction},${disposition},${queueId},${agentId},${number},${c.stamp(enqueued)},${answered === null ? '' : c.stamp(answered)},${c.stamp(ended)},${wait},${talk},${hold},${wrap},${transferredTo},${recording},${survey ?? ''},${resolved === null ? '' : resolved}`
    );
  }

  /** Expected fresh calls on a day: weekly curve, slow growth, day-to-day noise. */
  private dayVolume(day: number): number {
    const weekday = WEEKDAY_ARRIVALS[this.clock.days[day].weekday];
    const trend = 1 + (0.1 * day) / 365;
    return this.dailyVolume * weekday * trend * this.rng.lognormal(1, 0.05);
  }

  simulateDay(day: number, presences: Presence[]): void {
    const { rng, clock } = this;
    const dayStart = day * SECONDS_PER_DAY;
    const dayEnd = dayStart + SECONDS_PER_DAY;
    // Everyone on the floor answers the queues but the callback desk, which makes the callbacks.
    this.pendingPresence.push(...presences.filter((p) => p.agent.role !== 'callback_specialist').sort((a, b) => a.start - b.start));

    // Fresh arrivals, hour by hour along the intraday curve.
    const volume = this.dayVolume(day);
    const times: number[] = [];
    for (let h = 0; h < 24; h++) {
      const n = rng.poisson((volume * HOURLY_ARRIVALS[h]) / HOURLY_TOTAL);
      for (let i = 0; i < n; i++) times.push(dayStart + h * 3600 + Math.floor(rng.float() * 3600));
    }
    const arrivals = Float64Array.from(times).sort();
    const slots = this.slots.get(day);

    let i = 0;
    for (;;) {
      const nextRepeat = this.repeats.peek();
      const repeatDue = nextRepeat !== undefined && nextRepeat.key < dayEnd;
      if (i >= arrivals.length && !repeatDue) break;
      if (repeatDue && (i >= arrivals.length || nextRepeat.key <= arrivals[i])) {
        const call = this.repeats.pop()!;
        this.inbound(call.key, call.number, call.queue, call.attempt, slots);
      } else {
        const t = arrivals[i++];
        const number = this.customerNumber(Math.floor(rng.float() * this.poolSize));
        this.inbound(t, number, this.queuePicker.draw(rng), 0, slots);
      }
    }
    this.flushOutbound(day);
  }

  private admitPresences(until: number): void {
    let k = 0;
    const pending = this.pendingPresence;
    while (k < pending.length && pending[k].start <= until) {
      const p = pending[k++];
      this.agentHeap.push({ key: p.start, end: p.end, agent: p.agent });
    }
    if (k > 0) this.pendingPresence = pending.slice(k);
  }

  private inbound(t: number, number: string, queue: QueueDef, attempt: number, slots: TranscriptSlot[] | undefined): void {
    const { rng } = this;
    // Agents whose presence starts within two hours can serve callers waiting now.
    this.admitPresences(t + 7200);
    const heap = this.agentHeap;
    let top = heap.peek();
    while (top && Math.max(top.key, t) >= top.end) {
      heap.pop();
      top = heap.peek();
    }
    const callId = this.nextCallId(t);
    const day = this.clock.dayOf(t);

    // Outside opening hours (01:00–08:00, no shift covers them) or nobody on duty: the after-hours
    // message, a voicemail, a callback next morning.
    const timeOfDay = t - day * SECONDS_PER_DAY;
    if (!top || top.key - t > 3 * 3600 || (timeOfDay >= CLOSES_AT_S && timeOfDay < OPENS_AT_S)) {
      const ivr = rng.int(12, 35);
      const message = rng.chance(0.6) ? rng.int(15, 70) : 0;
      this.row(callId, 'inbound', 'voicemail', queue.queue_id, '', number, t, null, t + ivr + message, ivr, 0, 0, 0, '', '', null, null);
      if (message > 0) {
        const specialist = rng.pick(this.staff.byRole.callback_specialist);
        const at = duringCallbackHours((day + 1) * SECONDS_PER_DAY + rng.int(8.5 * 3600, 11 * 3600), rng);
        this.scheduleOutbound({ at, number, agent: specialist, queueId: queue.queue_id, reached: rng.chance(0.8) });
      }
      return;
    }

    const answerAt = Math.max(top.key, t);
    const wait = answerAt - t;
    const patience = rng.chance(0.03) ? rng.int(1, 5) : Math.round(rng.lognormal(queue.kind === 'complaint' ? 150 : 110, 0.85));
    if (wait > patience) {
      if (patience > 45 && wait > 120 && rng.chance(0.2)) {
        // Chose the IVR's "call me back" option instead of waiting on.
        const waited = rng.int(30, 45);
        this.row(callId, 'inbound', 'callback', queue.queue_id, '', number, t, null, t + waited, waited, 0, 0, 0, '', '', null, null);
        const specialist = rng.pick(this.staff.byRole.callback_specialist);
        this.scheduleOutbound({ at: duringCallbackHours(answerAt + rng.int(60, 900), rng), number, agent: specialist, queueId: queue.queue_id, reached: rng.chance(0.85) });
      } else {
        this.row(callId, 'inbound', 'abandoned', queue.queue_id, '', number, t, null, t + patience, patience, 0, 0, 0, '', '', null, null);
        if (attempt < 3 && rng.chance(0.45)) {
          this.repeats.push({ key: t + patience + Math.round(rng.lognormal(12 * 60, 0.9)), number, queue, attempt: attempt + 1 });
        }
      }
      return;
    }

    const agent = top.agent;
    const skill = skillOn(agent, day);
    const recording = `${callId}.wav`;
    let talk: number;
    let hold: number;
    const slot = slots?.find(
      (s) => !s.filled && s.notBefore <= t && s.template.queue === queue.queue_id && (s.template.quality === 'good') === (skill >= this.staff.medianSkill)
    );
    if (slot) {
      slot.filled = true;
      const scripted = scriptCall(slot.template, callId, agent.id, null, rng);
      this.sink.transcript(scripted.transcript);
      talk = scripted.talkS;
      hold = scripted.holdS;
    } else {
      talk = Math.max(8, Math.round(rng.lognormal(queue.talkMedian * Math.exp(-0.14 * skill), 0.55)));
      hold = rng.chance(0.22 + Math.max(0, -skill) * 0.08) ? Math.round(rng.lognormal(40, 0.7)) : 0;
    }
    const wrap = Math.max(3, Math.round(rng.lognormal(24 * Math.exp(-0.12 * skill), 0.5)));
    const transfer = !slot && queue.language === 'zh' && queue.kind !== 'complaint' && rng.chance(0.03 * Math.exp(-0.5 * skill));
    if (transfer) talk = Math.max(8, Math.round(talk * 0.4));
    const ended = answerAt + talk + hold;
    // The agent is busy until wrap-up is done, then takes a short breather.
    top.key = ended + wrap + Math.round(rng.exponential(18));
    heap.topChanged();

    if (transfer) {
      const target = rng.chance(0.6) ? this.queueById.get('complaint')! : queue.kind === 'repair' ? this.queueById.get('consult')! : this.queueById.get('repair')!;
      this.row(callId, 'inbound', 'transferred', queue.queue_id, agent.id, number, t, answerAt, ended, wait, talk, hold, wrap, target.queue_id, recording, null, false);
      // The second leg goes to a complaint handler or the agent's team lead, without queueing.
      const handlers = target.kind === 'complaint' ? this.staff.byRole.complaint_handler : this.staff.byRole.team_lead;
      const second = rng.pick(handlers);
      const t2 = ended;
      const wait2 = rng.int(5, 40);
      this.answeredLeg(this.nextCallId(t2), second, skillOn(second, day), number, target, t2, wait2, Math.max(8, Math.round(rng.lognormal(target.talkMedian, 0.5))), 0, wait, attempt);
      return;
    }
    this.answeredLeg(callId, agent, skill, number, queue, t, wait, talk, hold, wait, attempt, wrap, recording);
  }

  /** An answered leg that ends the caller's contact: survey, resolution, ticket, repeat call. */
  private answeredLeg(
    callId: string, agent: Agent, skill: number, number: string, queue: QueueDef, t: number, wait: number,
    talk: number, hold: number, firstWait: number, attempt: number,
    wrap = Math.max(3, Math.round(this.rng.lognormal(24 * Math.exp(-0.12 * skill), 0.5))), recording = `${callId}.wav`
  ): void {
    const { rng } = this;
    const answerAt = t + wait;
    const ended = answerAt + talk + hold;
    const resolved = rng.chance(Math.min(0.97, Math.max(0.05, queue.resolveBase + 0.08 * skill - attempt * 0.05)));
    let survey: number | null = null;
    if (rng.chance(resolved ? 0.37 : 0.3)) {
      const mean = 4.05 + 0.38 * skill + (resolved ? 0.3 : -0.9) - (firstWait > 60 ? 0.35 : 0) - (hold > 60 ? 0.2 : 0);
      survey = Math.min(5, Math.max(1, Math.round(mean + rng.normal() * 0.75)));
    }
    this.row(callId, 'inbound', 'answered', queue.queue_id, agent.id, number, t, answerAt, ended, wait, talk, hold, wrap, '', recording, survey, resolved);

    const type = this.ticketType(queue, resolved);
    const ticket = type ? this.tickets.make({ type, callId, agent, customerNumber: number, openedAt: ended }) : null;
    if (ticket) {
      this.sink.ticket(ticket);
      for (const cb of ticket.callbacks) this.scheduleOutbound({ at: cb.at, number: cb.customerNumber, agent: cb.agent, queueId: '', reached: cb.reached });
    }
    // Not resolved: many call again within days (this is what first-contact resolution measures).
    if (attempt < 4 && rng.chance(resolved ? 0.05 : 0.42)) {
      const delay = rng.chance(0.35) ? rng.lognormal(2 * 3600, 0.8) : rng.uniform(1, 6) * SECONDS_PER_DAY;
      const nextQueue = !resolved && queue.kind !== 'complaint' && rng.chance(0.2) ? this.queueById.get('complaint')! : queue;
      this.repeats.push({ key: Math.floor(ended + delay), number, queue: nextQueue, attempt: attempt + 1 });
    }
  }

  private ticketType(queue: QueueDef, resolved: boolean): TicketType | null {
    const x = this.rng.float();
    switch (queue.kind) {
      case 'complaint':
        return x < 0.55 ? 'complaint' : x < 0.6 ? 'suggestion' : null;
      case 'repair':
        return x < 0.3 ? 'repair' : x < 0.32 ? 'emergency_repair' : x < 0.35 ? 'site_survey' : null;
      case 'sales':
        return x < 0.12 ? 'order' : x < 0.16 ? 'return' : x < 0.18 ? 'complaint' : null;
      default:
        if (!resolved) return x < 0.2 ? 'inquiry' : x < 0.24 ? 'complaint' : null;
        return x < 0.005 ? 'suggestion' : x < 0.01 ? 'complaint' : null;
    }
  }

  private scheduleOutbound(call: OutboundCall): void {
    if (call.at >= this.clock.endS) return;
    const day = this.clock.dayOf(call.at);
    if (!this.outbound.has(day)) this.outbound.set(day, []);
    this.outbound.get(day)!.push(call);
  }

  /** Writes the day's callbacks (回访 and promised call-backs), made by callback specialists. */
  private flushOutbound(day: number): void {
    const calls = this.outbound.get(day);
    this.outbound.delete(day);
    if (!calls) return;
    const { rng } = this;
    calls.sort((a, b) => a.at - b.at);
    for (const c of calls) {
      const at = Math.floor(c.at);
      const id = this.nextCallId(at);
      const ring = rng.int(5, 25);
      if (!c.reached) {
        this.row(id, 'callback', 'voicemail', c.queueId, c.agent.id, c.number, at, null, at + ring + 20, ring, 0, 0, 0, '', '', null, null);
        continue;
      }
      const talk = Math.max(15, Math.round(rng.lognormal(85, 0.5)));
      const wrap = Math.round(rng.lognormal(20, 0.5));
      this.row(id, 'callback', 'answered', c.queueId, c.agent.id, c.number, at, at + ring, at + ring + talk, ring, talk, 0, wrap, '', `${id}.wav`, null, true);
    }
  }
}
