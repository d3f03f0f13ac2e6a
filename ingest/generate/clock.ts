// The simulation's clock: seconds since local midnight of the first simulated day, in the
// center's wall-clock time (Asia/Shanghai has no DST, so wall-clock seconds are uniform).
// Formatting is table-driven because it runs several times per row for millions of rows.

const SECONDS_PER_DAY = 86_400;
/** Asia/Shanghai is UTC+8 all year; used only to give call ids realistic epoch seconds. */
const CENTER_UTC_OFFSET_S = 8 * 3600;

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** "HH:MM:SS" for every second of a day, built once. */
const TIME_OF_DAY: string[] = (() => {
  const out = new Array<string>(SECONDS_PER_DAY);
  for (let s = 0; s < SECONDS_PER_DAY; s++) {
    out[s] = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
  }
  return out;
})();

export interface CalendarDay {
  /** YYYY-MM-DD */
  iso: string;
  /** YYYY-MM */
  month: string;
  year: number;
  monthIndex: number;
  dayOfMonth: number;
  /** 0 = Monday ... 6 = Sunday */
  weekday: number;
}

export function parseIsoDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text ? d : null;
}

export function addDaysIso(iso: string, days: number): string {
  const d = parseIsoDate(iso)!;
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export class Clock {
  readonly days: CalendarDay[] = [];
  private readonly prefixes: string[] = [];
  private readonly slashPrefixes: string[] = [];
  private readonly startEpoch: number;

  /** Covers `dayCount` days from `startIso`, plus a margin for events that run past the end. */
  constructor(readonly startIso: string, readonly dayCount: number, marginDays = 400) {
    const start = parseIsoDate(startIso);
    if (!start) throw new Error(`bad start date ${startIso}`);
    this.startEpoch = start.getTime() / 1000 - CENTER_UTC_OFFSET_S;
    for (let i = 0; i < dayCount + marginDays; i++) {
      const d = new Date(start.getTime() + i * SECONDS_PER_DAY * 1000);
      const iso = d.toISOString().slice(0, 10);
      this.days.push({
        iso,
        month: iso.slice(0, 7),
        year: d.getUTCFullYear(),
        monthIndex: d.getUTCMonth(),
        dayOfMonth: d.getUTCDate(),
        weekday: (d.getUTCDay() + 6) % 7
      });
      this.prefixes.push(iso + ' ');
      this.slashPrefixes.push(iso.replaceAll('-', '/') + ' ');
    }
  }

  /** End of the simulated period: midnight after the last day (the data's "now"). */
  get endS(): number {
    return this.dayCount * SECONDS_PER_DAY;
  }

  dayOf(t: number): number {
    return Math.floor(t / SECONDS_PER_DAY);
  }

  /** "YYYY-MM-DD HH:MM:SS" local. */
  stamp(t: number): string {
    const s = Math.floor(t);
    const day = Math.floor(s / SECONDS_PER_DAY);
    return this.prefixes[day] + TIME_OF_DAY[s - day * SECONDS_PER_DAY];
  }

  /** "YYYY/MM/DD HH:MM:SS" local, the punch clock's format. */
  slashStamp(t: number): string {
    const s = Math.floor(t);
    const day = Math.floor(s / SECONDS_PER_DAY);
    return this.slashPrefixes[day] + TIME_OF_DAY[s - day * SECONDS_PER_DAY];
  }

  isoDate(day: number): string {
    return this.days[day].iso;
  }

  /** Unix epoch seconds of a simulation time (for Asterisk-style call ids). */
  epoch(t: number): number {
    return this.startEpoch + Math.floor(t);
  }
}

export { SECONDS_PER_DAY };
