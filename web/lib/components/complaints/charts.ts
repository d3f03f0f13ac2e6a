// The complaint analysis charts (Observable Plot). Each returns a figure for plotAttachment
// (web/lib/components/dashboard/plot.ts), whose pointed datum is the drill-down's target.
import * as Plot from '@observablehq/plot';

export interface Labels {
  /** A cause's display name (null: unclassified). */
  cause: (cause: string | null) => string;
  t: (key: string) => string;
  pct: (v: number) => string;
  count: (v: number) => string;
}

export interface ParetoRow {
  rank: number;
  cause: string | null;
  complaints: number;
  auto_labelled: number;
  share: number;
  cumulative_share: number;
}

const slanted = { tickRotate: -30 };

export function pareto(rows: ParetoRow[], l: Labels, width: number) {
  const total = rows.reduce((a, r) => a + r.complaints, 0) || 1;
  const data = rows.map((r) => ({ ...r, label: l.cause(r.cause), cumulative: r.cumulative_share * total }));
  const domain = data.map((r) => r.label);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((x) => x * total);
  return Plot.plot({
    width,
    height: 360,
    marginLeft: 56,
    marginRight: 56,
    marginBottom: 90,
    style: { fontSize: '12px' },
    x: { type: 'band', domain, label: null, ...slanted, padding: 0.15 },
    y: { domain: [0, total], label: l.t('complaints.complaints') },
    marks: [
      // An explicit axis mark replaces Plot's implicit ones, so both y axes are drawn here.
      Plot.gridY(),
      Plot.axisY({ anchor: 'left', label: l.t('complaints.complaints') }),
      Plot.barY(data, { x: 'label', y: 'complaints', fill: (r: ParetoRow) => (r.cause === null ? '#9ca3af' : r.cumulative_share <= 0.8 || r.rank === 1 ? '#2563eb' : '#93c5fd') }),
      Plot.ruleY([0.8 * total], { stroke: '#dc2626', strokeDasharray: '4 3' }),
      Plot.line(data, { x: 'label', y: 'cumulative', stroke: '#dc2626', strokeWidth: 2 }),
      Plot.dot(data, { x: 'label', y: 'cumulative', fill: '#dc2626', r: 3 }),
      Plot.axisY(ticks, { anchor: 'right', tickFormat: (v: number) => l.pct(v / total), label: l.t('complaints.cumulative_share') }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: 'label',
          y: 'complaints',
          title: (r: ParetoRow & { label: string }) =>
            `${r.label}\n${l.t('complaints.complaints')}: ${l.count(r.complaints)} (${l.pct(r.share)})\n${l.t('complaints.cumulative_share')}: ${l.pct(r.cumulative_share)}` +
            (r.auto_labelled ? `\n${l.t('complaints.auto_labelled')}: ${l.count(r.auto_labelled)}` : '')
        })
      )
    ]
  });
}

/** Twelve distinguishable colours, one per cause of the default taxonomy. */
const CAUSE_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#ad494a'];

export interface TrendRow {
  bucket: string;
  cause: string | null;
  complaints: number;
}

export function trend(rows: TrendRow[], l: Labels, width: number, highlight: Set<string | null>) {
  const data = rows.map((r) => ({ ...r, date: new Date(`${r.bucket}T00:00:00Z`), label: l.cause(r.cause) }));
  return Plot.plot({
    width,
    height: 320,
    marginLeft: 56,
    style: { fontSize: '12px' },
    x: { type: 'utc', label: null },
    y: { grid: true, zero: true, label: l.t('complaints.complaints') },
    color: { legend: true, type: 'categorical', range: CAUSE_COLORS },
    marks: [
      Plot.line(data, { x: 'date', y: 'complaints', stroke: 'label', strokeWidth: (r: TrendRow) => (highlight.has(r.cause) ? 3 : 1.2), strokeOpacity: (r: TrendRow) => (highlight.has(r.cause) ? 1 : 0.55) }),
      Plot.dot(data, { x: 'date', y: 'complaints', fill: 'label', r: 2 }),
      Plot.tip(data, Plot.pointer({ x: 'date', y: 'complaints', title: (r: TrendRow & { label: string }) => `${r.bucket}\n${r.label}: ${l.count(r.complaints)}` }))
    ]
  });
}

export interface CellRow {
  cause: string | null;
  department: string;
  complaints: number;
  share_of_cause: number;
}

export function causeByDepartment(rows: CellRow[], causes: string[], l: Labels, width: number) {
  const data = rows.map((r) => ({ ...r, label: l.cause(r.cause), dept: r.department || l.t('complaints.no_department') }));
  const max = Math.max(1, ...rows.map((r) => r.complaints));
  return Plot.plot({
    width,
    height: Math.max(220, 32 * causes.length + 90),
    marginLeft: 150,
    marginBottom: 70,
    style: { fontSize: '12px' },
    padding: 0.05,
    x: { label: null, ...slanted },
    y: { domain: causes.map((c) => l.cause(c)), label: null },
    color: { scheme: 'blues', legend: true, label: l.t('complaints.complaints') },
    marks: [
      Plot.cell(data, { x: 'dept', y: 'label', fill: 'complaints', inset: 0.5 }),
      Plot.text(data, { x: 'dept', y: 'label', text: (r: CellRow) => l.count(r.complaints), fill: (r: CellRow) => (r.complaints > max / 2 ? 'white' : 'black') }),
      Plot.tip(data, Plot.pointer({ x: 'dept', y: 'label', title: (r: CellRow & { label: string; dept: string }) => `${r.label} → ${r.dept}\n${l.count(r.complaints)} (${l.pct(r.share_of_cause)})` }))
    ]
  });
}

export interface SeverityRow {
  cause: string | null;
  severity: number | null;
  complaints: number;
  major: number;
}

const SEVERITY_COLORS = ['#991b1b', '#ea580c', '#facc15', '#93c5fd', '#d1d5db'];

export function severityMix(rows: SeverityRow[], causes: string[], l: Labels, width: number) {
  const sev = (s: number | null) => (s === null ? l.t('complaints.severity_none') : l.t(`complaints.severity_${s}`));
  const data = rows.map((r) => ({ ...r, label: l.cause(r.cause), level: sev(r.severity) }));
  const levels = [1, 2, 3, 4, null].map(sev);
  return Plot.plot({
    width,
    height: Math.max(220, 28 * causes.length + 70),
    marginLeft: 150,
    style: { fontSize: '12px' },
    x: { grid: true, label: l.t('complaints.complaints') },
    y: { domain: causes.map((c) => l.cause(c)), label: null },
    color: { domain: levels, range: SEVERITY_COLORS, legend: true },
    marks: [
      Plot.barX(data, Plot.stackX({ y: 'label', x: 'complaints', fill: 'level', order: levels })),
      Plot.tip(data, Plot.pointer(Plot.stackX({ y: 'label', x: 'complaints', fill: 'level', order: levels, title: (r: SeverityRow & { label: string; level: string }) => `${r.label} · ${r.level}\n${l.count(r.complaints)}${r.major ? `\n${l.t('complaints.major')}: ${r.major}` : ''}` })))
    ]
  });
}

export interface SlaRow {
  cause: string | null;
  target: string;
  met: number;
  breached: number;
  compliance: number | null;
}

export const SLA_TARGETS = ['received', 'contact', 'solution', 'callback'];

export function slaByCause(rows: SlaRow[], causes: string[], l: Labels, width: number) {
  const data = rows.filter((r) => r.compliance !== null).map((r) => ({ ...r, label: l.cause(r.cause), name: l.t(`complaints.sla_${r.target}`) }));
  return Plot.plot({
    width,
    height: Math.max(220, 28 * causes.length + 80),
    marginLeft: 150,
    style: { fontSize: '12px' },
    padding: 0.05,
    x: { domain: SLA_TARGETS.map((t) => l.t(`complaints.sla_${t}`)), label: null, axis: 'top' },
    y: { domain: causes.map((c) => l.cause(c)), label: null },
    color: { type: 'linear', domain: [0.6, 1], range: ['#dc2626', '#16a34a'], clamp: true, legend: true, tickFormat: l.pct, label: l.t('complaints.compliance') },
    marks: [
      Plot.cell(data, { x: 'name', y: 'label', fill: 'compliance', inset: 0.5 }),
      Plot.text(data, { x: 'name', y: 'label', text: (r: SlaRow) => l.pct(r.compliance ?? 0), fill: 'white' }),
      Plot.tip(data, Plot.pointer({ x: 'name', y: 'label', title: (r: SlaRow & { label: string; name: string }) => `${r.label} · ${r.name}\n${l.t('complaints.met')}: ${l.count(r.met)} · ${l.t('complaints.breached')}: ${l.count(r.breached)}` }))
    ]
  });
}

export interface FunnelRow {
  stage: string;
  position: number;
  reached: number;
  stalled: number;
  median_hours: number | null;
}

export function funnel(rows: FunnelRow[], l: Labels, width: number) {
  const worst = rows.reduce<FunnelRow | null>((w, r) => (r.stage !== 'closed' && (!w || r.stalled > w.stalled) ? r : w), null);
  const data = rows.map((r) => ({ ...r, name: l.t(`complaints.stage_${r.stage}`) }));
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 90,
    style: { fontSize: '12px' },
    x: { grid: true, label: l.t('complaints.complaints') },
    y: { domain: data.map((r) => r.name), label: null },
    color: { domain: [l.t('complaints.reached'), l.t('complaints.stalled')], range: ['#60a5fa', '#dc2626'], legend: true },
    marks: [
      Plot.barX(data, { y: 'name', x: 'reached', fill: () => l.t('complaints.reached'), inset: 1 }),
      Plot.barX(data.filter((r) => r.stage !== 'closed'), { y: 'name', x: 'stalled', fill: () => l.t('complaints.stalled'), insetTop: 9, insetBottom: 9 }),
      Plot.text(data, { y: 'name', x: 'reached', text: (r: FunnelRow) => l.count(r.reached), dx: 4, textAnchor: 'start' }),
      Plot.text(worst && worst.stalled ? [worst] : [], { y: () => l.t(`complaints.stage_${worst!.stage}`), x: 0, text: () => `▶ ${l.t('complaints.stalls_here')}`, dx: 4, textAnchor: 'start', fill: 'white', fontWeight: 'bold' }),
      Plot.tip(
        data,
        Plot.pointerY({
          y: 'name',
          x: 'reached',
          title: (r: FunnelRow & { name: string }) =>
            `${r.name}\n${l.t('complaints.reached')}: ${l.count(r.reached)}${r.stage === 'closed' ? '' : `\n${l.t('complaints.stalled')}: ${l.count(r.stalled)}`}` +
            (r.median_hours !== null ? `\n${l.t('complaints.median_hours')}: ${r.median_hours.toFixed(1)}` : '')
        })
      )
    ]
  });
}

export interface CallbackRow {
  cause: string | null;
  reached: number;
  satisfied: number;
  satisfaction: number;
  unsatisfied_rounds: number;
}

export function callbackByCause(rows: CallbackRow[], l: Labels, width: number) {
  const data = rows.map((r) => ({ ...r, label: l.cause(r.cause) }));
  return Plot.plot({
    width,
    height: Math.max(200, 26 * data.length + 60),
    marginLeft: 150,
    style: { fontSize: '12px' },
    x: { domain: [0, 1], grid: true, tickFormat: l.pct, label: l.t('complaints.satisfaction') },
    y: { domain: data.map((r) => r.label), label: null },
    marks: [
      Plot.barX(data, { y: 'label', x: 'satisfaction', fill: (r: CallbackRow) => (r.satisfaction >= 0.9 ? '#16a34a' : '#f59e0b') }),
      Plot.ruleX([0.9], { stroke: '#111827', strokeDasharray: '4 3' }),
      Plot.text(data, { y: 'label', x: 'satisfaction', text: (r: CallbackRow) => l.pct(r.satisfaction), dx: -4, textAnchor: 'end', fill: 'white' }),
      Plot.tip(data, Plot.pointerY({ y: 'label', x: 'satisfaction', title: (r: CallbackRow & { label: string }) => `${r.label}\n${l.t('complaints.satisfied')}: ${l.count(r.satisfied)} / ${l.count(r.reached)}\n${l.t('complaints.unsatisfied_rounds')}: ${l.count(r.unsatisfied_rounds)}` }))
    ]
  });
}
