// Tickets born from calls and their timelines: the complaint life cycle of docs/domain.md
// (受理 → 判断 → 调查 → 方案 → 实施 → 回访 → 总结 → 结案) with the manual's SLAs, some breached,
// unsatisfied callbacks looping back, and the callback calls that the timeline implies.
import { Rng, WeightedPicker } from './random.ts';
import { Clock } from './clock.ts';
import { duringCallbackHours } from './roster.ts';
import { CAUSES, ITEMS, OTHER_TICKET_TYPES, SURNAMES } from './catalog.ts';
import type { CauseDef, TicketTypeDef } from './catalog.ts';
import type { Agent } from './people.ts';
import { csvField } from './csv.ts';

const H = 3600;
const GROUP_CODE: Record<CauseDef['group'], string> = { 商品: 'product', 服务: 'service', 安全: 'safety' };

/** How slowly each responsible department acts (1 = typical); one is clearly slow. */
const DEPARTMENT_PACE: Record<string, number> = {
  质量管理部: 1, 门店运营部: 1.15, 采购部: 1.3, 物流配送部: 1.9, 财务部: 0.8, 安全保卫部: 0.7,
  客户服务部: 0.9, 工程维修部: 1.1, 销售部: 1
};

const REMEDIES = ['退货退款', '换货并致歉', '赠送50元代金券', '上门维修', '门店负责人当面致歉', '退还差价', '补发配件'];
const IMPROVEMENTS = ['加强员工服务培训', '每日巡检保质期', '调整配送排班', '更新价签核对流程', '增加收银复核', '优化库存预警'];

export type TicketType = 'complaint' | TicketTypeDef['type'];

export interface TicketSource {
  type: TicketType;
  callId: string;
  agent: Agent;
  customerNumber: string;
  openedAt: number;
}

export interface PlannedCallback {
  at: number;
  customerNumber: string;
  agent: Agent;
  reached: boolean;
}

export interface TicketOutput {
  row: string;
  events: string[];
  callbacks: PlannedCallback[];
}

interface Event {
  event: string;
  at: number;
  actor: string | null;
  department: string | null;
  result: string | null;
  note: string | null;
}

export interface TicketStaff {
  complaintHandlers: Agent[];
  callbackSpecialists: Agent[];
  teamLeads: Agent[];
}

function addEvent(events: Event[], event: string, at: number, actor: string | null, department: string | null, result: string | null, note: string | null): void {
  events.push({ event, at: Math.round(at), actor, department, result, note });
}

/** A JSON string or null for a value known to hold no quote, backslash or control character. */
function jsonCode(value: string | null): string {
  return value === null ? 'null' : `"${value}"`;
}

export class TicketFactory {
  private seq = 0;
  private readonly surnames = new WeightedPicker(SURNAMES.map((s) => s[0]), SURNAMES.map((s) => s[1]));

  constructor(private readonly rng: Rng, private readonly clock: Clock, private readonly staff: TicketStaff) {}

  private causeFor(day: number): CauseDef {
    // Weights move linearly over the period, so one cause (配送延迟 under 服务项目不足) grows.
    const f = Math.min(1, Math.max(0, day / Math.max(1, this.clock.dayCount - 1)));
    let total = 0;
    for (const c of CAUSES) total += c.weightStart + (c.weightEnd - c.weightStart) * f;
    let x = this.rng.float() * total;
    for (const c of CAUSES) {
      x -= c.weightStart + (c.weightEnd - c.weightStart) * f;
      if (x < 0) return c;
    }
    return CAUSES[CAUSES.length - 1];
  }

  private fill(template: string): string {
    return template.replace('{item}', this.rng.pick(ITEMS));
  }

  /** 回访: a callback specialist calls the customer, in the callback desk's hours from `planned`;
   *  the result decides whether the ticket loops back. */
  private callback(events: Event[], callbacks: PlannedCallback[], customerNumber: string, planned: number, pUnsatisfied: number): { result: 'satisfied' | 'unsatisfied' | 'unreachable'; at: number } {
    const at = duringCallbackHours(planned, this.rng);
    const agent = this.rng.pick(this.staff.callbackSpecialists);
    const roll = this.rng.float();
    const result = roll < 0.06 ? 'unreachable' : roll < 0.06 + pUnsatisfied ? 'unsatisfied' : 'satisfied';
    const note = result === 'satisfied' ? '回访顾客，对处理结果满意' : result === 'unsatisfied' ? '回访顾客，对处理结果不满意，要求重新处理' : '回访电话无人接听，次日再访';
    addEvent(events, 'callback', at, agent.id, null, result, note);
    callbacks.push({ at, customerNumber, agent, reached: result !== 'unreachable' });
    return { result, at };
  }

  /** The ticket opened from a call; null when the call ended after the period (not yet known). */
  make(src: TicketSource): TicketOutput | null {
    const { rng, clock } = this;
    if (src.openedAt >= clock.endS) return null;
    const day = clock.dayOf(src.openedAt);
    const ticketId = `GD${clock.isoDate(day).replaceAll('-', '')}${String(++this.seq).padStart(6, '0')}`;
    const customerName = this.surnames.draw(rng) + (rng.chance(0.55) ? '女士' : '先生');
    const t0 = src.openedAt;
    const events: Event[] = [];
    const callbacks: PlannedCallback[] = [];
    let severity: number | null = null;
    let cause: CauseDef | null = null;
    let subCause: string | null = null;
    let department: string;
    let summary: string;
    let major = false;
    let receivedDue: number | null = null;
    let contactDue: number | null;
    let solutionDue: number | null = null;
    let promised: number;
    let implementedAt: number | null = null;

    const add = addEvent.bind(null, events);
    const callbackEvent = (at: number, pUnsatisfied: number) => this.callback(events, callbacks, src.customerNumber, at, pUnsatisfied);
    const handler = rng.pick(this.staff.complaintHandlers);

    add('intake', t0, src.agent.id, '客户服务部', null, null);
    if (src.type === 'complaint') {
      cause = this.causeFor(day);
      subCause = rng.pick(cause.subCauses);
      department = cause.department;
      summary = this.fill(rng.pick(cause.summaries));
      const r = rng.float();
      severity = r < 0.01 ? 1 : r < 0.09 ? 2 : r < 0.4 ? 3 : 4;
      if (cause.group === '安全' && severity > 2 && rng.chance(0.4)) severity = 2;
      major = rng.chance(severity === 1 ? 0.012 : 0.00002);
      receivedDue = t0 + 3 * H;
      contactDue = t0 + 24 * H;
      solutionDue = t0 + 48 * H;
      promised = t0 + 24 * H;
      const pace = DEPARTMENT_PACE[department] ?? 1;
      // 判断: the service desk takes it up, usually well within 3 hours.
      let t = t0 + rng.lognormal(50 * 60, 0.9);
      const valid = rng.chance(0.93);
      add('judged', t, handler.id, null, valid ? 'valid' : 'invalid', valid ? `投诉成立，转${department}处理` : '经核实投诉不成立，已向顾客解释');
      if (!valid) {
        t += rng.lognormal(1.5 * H, 0.6);
        add('summary', t, handler.id, null, null, '无效投诉，已记录');
        add('closed', t + rng.uniform(300, 1800), handler.id, null, null, '结案');
      } else {
        if (severity <= 2 || major) {
          const lead = rng.pick(this.staff.teamLeads);
          t += rng.uniform(300, 1800);
          add('escalated', t, lead.id, null, null, major ? '重大投诉，上报客服经理及总部' : `严重程度${severity}级，升级至班长处理`);
        }
        for (let round = 0; round < 3; round++) {
          t += rng.lognormal(7 * H * pace, 0.9);
          add('investigated', t, null, department, null, `${department}已致电顾客核实情况`);
          t += rng.lognormal(12 * H * pace, 0.8);
          add('solution', t, handler.id, department, 'approved', `方案：${rng.pick(REMEDIES)}，主管已审批`);
          const lateSolution = t > t0 + 48 * H * (round + 1);
          t += rng.lognormal(10 * H * pace, 0.9);
          add('implemented', t, null, department, 'confirmed', '已按方案处理，顾客确认');
          implementedAt ??= t;
          // 回访 within three days, retried when nobody answers.
          t += rng.lognormal(20 * H, 0.7);
          let result: 'satisfied' | 'unsatisfied' | 'unreachable';
          ({ result, at: t } = callbackEvent(t, (lateSolution ? 0.22 : 0.1) + (severity <= 2 ? 0.06 : 0) - round * 0.05));
          while (result === 'unreachable') {
            t += rng.uniform(20 * H, 28 * H);
            ({ result, at: t } = callbackEvent(t, 0.1));
          }
          if (result === 'satisfied' || round === 2) break;
          t += rng.uniform(600, 3 * H);
          add('reopened', t, handler.id, department, null, '顾客不满意，工单重开');
        }
        t += rng.lognormal(3 * H, 0.8);
        add('summary', t, handler.id, null, null, `已录入顾客投诉分类统计表；改进措施：${rng.pick(IMPROVEMENTS)}`);
        add('closed', t + rng.uniform(300, 3600), handler.id, null, null, '结案');
      }
    } else {
      const def = OTHER_TICKET_TYPES[src.type];
      department = def.department;
      summary = this.fill(rng.pick(def.summaries));
      const urgent = src.type === 'emergency_repair';
      contactDue = t0 + (src.type === 'inquiry' ? 8 : urgent ? 2 : 24) * H;
      promised = contactDue;
      const pace = (DEPARTMENT_PACE[department] ?? 1) * (urgent ? 0.15 : 1);
      let t = t0 + rng.lognormal(5 * H * pace, 0.9);
      add('investigated', t, null, department, null, src.type === 'inquiry' ? '已核实并答复顾客' : `${department}已联系顾客`);
      if (src.type !== 'inquiry' && src.type !== 'suggestion') {
        t += rng.lognormal(20 * H * pace, 0.8);
        add('implemented', t, null, department, 'confirmed', urgent ? '抢修完成' : '已处理完毕，顾客确认');
        implementedAt = t;
      }
      t += rng.lognormal(18 * H, 0.7);
      t = callbackEvent(t, 0.06).at;
      add('closed', t + rng.uniform(300, 3600), handler.id, null, null, '结案');
    }

    // Only what happened before the end of the period is known.
    const cutoff = clock.endS;
    const known = events.filter((e) => e.at < cutoff);
    const knownCallbacks = callbacks.filter((c) => c.at < cutoff);
    const last = known[known.length - 1].event;
    const reopened = known.some((e) => e.event === 'reopened');
    const status = last === 'closed' ? 'closed' : last === 'summary' ? 'resolved' : last === 'intake' ? 'open' : reopened ? 'reopened' : 'in_progress';
    const closedAt = last === 'closed' ? known[known.length - 1].at : null;
    const callbackDue = implementedAt !== null && implementedAt < cutoff ? implementedAt + 72 * H : (solutionDue ?? contactDue) + 72 * H;
    const stamp = (t: number | null) => (t === null ? '' : clock.stamp(t));
    const row = [
      ticketId, src.type, status, severity ?? '', cause ? GROUP_CODE[cause.group] : '', cause?.cause ?? '', subCause ?? '',
      department, 'phone', src.customerNumber, customerName, src.callId, src.agent.id, stamp(t0), stamp(promised),
      stamp(receivedDue), stamp(contactDue), stamp(solutionDue), stamp(callbackDue), stamp(closedAt), csvField(summary),
      major ? 'true' : 'false'
    ].join(',');
    // Hand-built JSON lines (the fields other than the note are fixed, quote-free codes); this runs
    // millions of times on large outputs. Key order is the export contract's.
    const eventLines: string[] = [];
    for (let i = 0; i < known.length; i++) {
      const e = known[i];
      eventLines.push(
        `{"ticket_id":"${ticketId}","seq":${i + 1},"event":"${e.event}","occurred_at":"${clock.stamp(e.at)}","actor":${jsonCode(e.actor)},` +
          `"department":${jsonCode(e.department)},"result":${jsonCode(e.result)},"note":${JSON.stringify(e.event === 'intake' ? summary : e.note)}}`
      );
    }
    return { row, events: eventLines, callbacks: knownCallbacks };
  }
}
