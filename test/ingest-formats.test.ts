// The loader on vendor formats: GB18030 punch-clock CSV, HR leave .xlsx, Asterisk queue_log and
// Master.csv, and a foreign CSV read through a mapping file; plus the mapping file's validation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { xlsxToCsv } from '../ingest/load/source.ts';
import { builtinProfiles, parseMapping } from '../ingest/load/mapping.ts';

const fixtures = path.resolve('data/fixtures/ingest');
let dir: string;
let warehouse: Warehouse;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-ingest-'));
  warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
  await ingestFiles(warehouse, [path.join(fixtures, 'native/agents.csv'), path.join(fixtures, 'native/queues.csv')]);
});
afterEach(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const local = "strftime(%s AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S')";

describe('vendor formats', () => {
  it('reads a GB18030 punch-clock export (profile punch-clock-zh)', async () => {
    const text = [
      '工号,姓名,打卡时间,打卡类型,设备',
      '1023,李娜,2026/07/01 07:56:12,上班,一楼考勤机',
      '1023,李娜,2026/07/01 17:02:40,下班,一楼考勤机',
      '1024,张伟,2026/07/01 16:58:03,上班,二楼考勤机',
      '1099,钱多,2026/07/01 08:00:00,上班,一楼考勤机',
      '1024,张伟,2026/07/01 26:00:00,下班,二楼考勤机'
    ].join('\r\n');
    const file = path.join(dir, '考勤-2026-07.csv');
    fs.writeFileSync(file, iconv.encode(text + '\r\n', 'gb18030'));
    const summary = await ingestFiles(warehouse, [file]);
    expect(summary.files[0]).toMatchObject({ kind: 'attendance', profile: 'punch-clock-zh', rowsRead: 5, rowsLoaded: 3, rowsRejected: 2 });
    const rows = await warehouse.all(`SELECT agent_id, ${local.replace('%s', 'punched_at')} AS t, direction, device FROM attendance ORDER BY punched_at`);
    expect(rows).toEqual([
      { agent_id: '1023', t: '2026-07-01 07:56:12', direction: 'in', device: '一楼考勤机' },
      { agent_id: '1024', t: '2026-07-01 16:58:03', direction: 'in', device: '二楼考勤机' },
      { agent_id: '1023', t: '2026-07-01 17:02:40', direction: 'out', device: '一楼考勤机' }
    ]);
    const rejects = await warehouse.all('SELECT line, column_name, reason FROM rejects ORDER BY line');
    expect(rejects).toEqual([
      { line: 5, column_name: 'agent_id', reason: 'unknown agent: 1099' },
      { line: 6, column_name: '打卡时间', reason: 'bad timestamp' }
    ]);
  });

  it('reads an HR leave .xlsx (profile hr-leave-zh)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('请假记录');
    sheet.addRow(['工号', '姓名', '请假类型', '开始日期', '结束日期', '审批状态']);
    sheet.addRow(['1023', '李娜', '年假', '2026-07-06', '2026-07-08', '已批准']);
    sheet.addRow([1024, '张伟', '病假', new Date(Date.UTC(2026, 6, 2)), new Date(Date.UTC(2026, 6, 2)), '已驳回']);
    sheet.addRow(['1001', '王芳', '调休', '2026-07-10', '2026-07-10', '未批准']);
    const file = path.join(dir, '请假.xlsx');
    await workbook.xlsx.writeFile(file);
    const summary = await ingestFiles(warehouse, [file]);
    expect(summary.files[0]).toMatchObject({ kind: 'leaves', profile: 'hr-leave-zh', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    const rows = await warehouse.all(`SELECT agent_id, CAST(starts_on AS VARCHAR) AS s, CAST(ends_on AS VARCHAR) AS e, kind, approved FROM leaves ORDER BY agent_id`);
    expect(rows).toEqual([
      { agent_id: '1023', s: '2026-07-06', e: '2026-07-08', kind: 'annual', approved: true },
      { agent_id: '1024', s: '2026-07-02', e: '2026-07-02', kind: 'sick', approved: false }
    ]);
    expect(await warehouse.one('SELECT line, column_name, reason FROM rejects')).toEqual({ line: 4, column_name: 'kind', reason: 'bad enum value: 调休' });
  });

  it('reads an .xlsx whole or streamed to the same CSV, gaps between rows kept as empty lines', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('其他');
    const sheet = workbook.addWorksheet('请假记录');
    sheet.addRow(['工号', '姓名', '开始日期']);
    sheet.addRow(['1023', '李娜, "小李"', '2026-07-06']);
    sheet.getRow(5).values = ['1024', '张伟'];
    const file = path.join(dir, 'two-ways.xlsx');
    await workbook.xlsx.writeFile(file);
    const whole = path.join(dir, 'whole.csv');
    const streamed = path.join(dir, 'streamed.csv');
    await xlsxToCsv(file, whole, '请假记录');
    await xlsxToCsv(file, streamed, '请假记录', 0);
    expect(fs.readFileSync(whole, 'utf8')).toBe('工号,姓名,开始日期\n1023,"李娜, ""小李""",2026-07-06\n\n\n1024,张伟,\n');
    expect(fs.readFileSync(streamed, 'utf8')).toBe(fs.readFileSync(whole, 'utf8'));
    await expect(xlsxToCsv(file, whole, 3)).rejects.toThrow(/has no sheet 3/);
  });

  it('folds an Asterisk queue_log into one call per callid', async () => {
    const summary = await ingestFiles(warehouse, [path.join(fixtures, 'asterisk/queue_log')]);
    expect(summary.files[0]).toMatchObject({ kind: 'calls', profile: 'asterisk-queue-log', rowsRead: 4, rowsLoaded: 4, rowsRejected: 0 });
    const calls = await warehouse.all(
      `SELECT call_id, disposition, queue_id, agent_id, caller_number, wait_s, talk_s, transferred_to,
              ${local.replace('%s', 'enqueued_at')} AS enq, answered_at IS NOT NULL AS answered, epoch(ended_at - enqueued_at) AS span
       FROM calls ORDER BY call_id`
    );
    expect(calls).toEqual([
      { call_id: '1782867605.11', disposition: 'answered', queue_id: 'consult', agent_id: '1023', caller_number: '13800138001', wait_s: 20, talk_s: 225, transferred_to: null, enq: '2026-07-01 09:00:05', answered: true, span: 245 },
      { call_id: '1782867660.13', disposition: 'abandoned', queue_id: 'consult', agent_id: null, caller_number: '13900139002', wait_s: 48, talk_s: 0, transferred_to: null, enq: '2026-07-01 09:01:00', answered: false, span: 48 },
      { call_id: '1782867720.15', disposition: 'transferred', queue_id: 'complaint', agent_id: '1024', caller_number: '13700137003', wait_s: 15, talk_s: 480, transferred_to: '8002', enq: '2026-07-01 09:02:00', answered: true, span: 495 },
      { call_id: '1782867800.17', disposition: 'abandoned', queue_id: 'consult', agent_id: null, caller_number: '13500135005', wait_s: 300, talk_s: 0, transferred_to: null, enq: '2026-07-01 09:03:20', answered: false, span: 300 }
    ]);
  });

  it('reads an Asterisk Master.csv CDR without a header', async () => {
    const summary = await ingestFiles(warehouse, [path.join(fixtures, 'asterisk/Master.csv')]);
    expect(summary.files[0]).toMatchObject({ kind: 'calls', profile: 'asterisk-cdr', rowsRead: 3, rowsLoaded: 3 });
    const calls = await warehouse.all(`SELECT call_id, direction, disposition, queue_id, agent_id, wait_s, talk_s, recording FROM calls ORDER BY call_id`);
    expect(calls).toEqual([
      { call_id: '1782867605.11', direction: 'inbound', disposition: 'answered', queue_id: 'consult', agent_id: '1023', wait_s: 20, talk_s: 225, recording: null },
      { call_id: '1782867660.13', direction: 'inbound', disposition: 'abandoned', queue_id: 'consult', agent_id: null, wait_s: 48, talk_s: 0, recording: null },
      { call_id: '1782871200.21', direction: 'outbound', disposition: 'answered', queue_id: null, agent_id: null, wait_s: 12, talk_s: 180, recording: '1782871200.21.wav' }
    ]);
  });

  it('reads a CSV with Chinese headers through a mapping file', async () => {
    const summary = await ingestFiles(warehouse, [path.join(fixtures, 'foreign/calls-zh.csv')], { map: path.join(fixtures, 'foreign/calls-zh.map.json') });
    expect(summary.files[0]).toMatchObject({ kind: 'calls', profile: 'hx-callcenter-zh', rowsRead: 4, rowsLoaded: 3, rowsRejected: 1 });
    const calls = await warehouse.all(
      `SELECT call_id, direction, disposition, queue_id, agent_id, ${local.replace('%s', 'enqueued_at')} AS enq,
              ${local.replace('%s', 'answered_at')} AS ans, wait_s, talk_s, survey_score, resolved
       FROM calls ORDER BY call_id`
    );
    expect(calls).toEqual([
      { call_id: 'HX-1001', direction: 'inbound', disposition: 'answered', queue_id: 'consult', agent_id: '1023', enq: '2026-07-03 08:59:58', ans: '2026-07-03 09:00:20', wait_s: 22, talk_s: 215, survey_score: 5, resolved: true },
      { call_id: 'HX-1002', direction: 'inbound', disposition: 'abandoned', queue_id: 'consult', agent_id: null, enq: '2026-07-03 09:10:00', ans: null, wait_s: 65, talk_s: 0, survey_score: null, resolved: null },
      // 赵敏 is not in agents.csv: the mapping's "create": ["agents"] adds her
      { call_id: 'HX-1003', direction: 'inbound', disposition: 'answered', queue_id: 'complaint', agent_id: '赵敏', enq: '2026-07-03 09:20:00', ans: '2026-07-03 09:20:15', wait_s: 15, talk_s: 720, survey_score: 2, resolved: false }
    ]);
    expect(await warehouse.one(`SELECT name FROM agents WHERE agent_id = '赵敏'`)).toEqual({ name: '赵敏' });
    // queues are not created by this mapping: an unknown queue name is a reject
    expect(await warehouse.one('SELECT line, column_name, reason FROM rejects')).toEqual({ line: 5, column_name: 'queue_id', reason: 'unknown queue: 售后' });
  });

  it('reads JSON lines with Chinese keys, keys holding "/" and "~" and one named like a loader column, through a mapping file', async () => {
    const map = path.join(dir, 'events.json');
    fs.writeFileSync(
      map,
      JSON.stringify({
        kind: 'ticket_events',
        source: { format: 'jsonl' },
        columns: {
          ticket_id: { from: '工单/编号' },
          seq: { from: '序号' },
          event: { from: '环节', values: { 受理: 'intake', 回访: 'callback' } },
          occurred_at: { from: '时间~本地' },
          result: { from: '结果', values: { 满意: 'satisfied' } },
          actor: { from: '__line' },
          note: { from: '备注' }
        }
      })
    );
    const file = path.join(dir, 'events.jsonl');
    const lines = [
      { '工单/编号': 'GD-1', 序号: 1, 环节: '受理', '时间~本地': '2026-07-03 09:00:00', 备注: '顾客来电 "报修"', __line: '1023' },
      { '工单/编号': 'GD-1', 序号: 2, 环节: '回访', '时间~本地': '2026-07-04 10:30:00', 结果: '满意', 备注: '' },
      { '工单/编号': 'GD-1', 序号: 'three', 环节: '回访', '时间~本地': '2026-07-05 10:30:00' }
    ].map((l) => JSON.stringify(l));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const summary = await ingestFiles(warehouse, [file], { map });
    expect(summary.files[0]).toMatchObject({ kind: 'ticket_events', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    expect(await warehouse.all(`SELECT ticket_id, seq, event, ${local.replace('%s', 'occurred_at')} AS at, result, actor, note FROM ticket_events ORDER BY seq`)).toEqual([
      { ticket_id: 'GD-1', seq: 1, event: 'intake', at: '2026-07-03 09:00:00', result: null, actor: '1023', note: '顾客来电 "报修"' },
      // an empty JSON string is no note
      { ticket_id: 'GD-1', seq: 2, event: 'callback', at: '2026-07-04 10:30:00', result: 'satisfied', actor: null, note: null }
    ]);
    // the reject keeps its line as it was in the file
    expect(await warehouse.one('SELECT line, column_name, reason, raw FROM rejects')).toEqual({ line: 3, column_name: '序号', reason: 'bad number', raw: lines[2] });
  });

  it('reads a UTF-16 TSV with a BOM when the mapping says so', async () => {
    const map = path.join(dir, 'q.json');
    fs.writeFileSync(map, JSON.stringify({ kind: 'queues', source: { format: 'tsv' }, columns: { queue_id: { from: '编号' }, name: { from: '名称' }, kind: { const: 'sales' } } }));
    const file = path.join(dir, 'queues.tsv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('编号\t名称\nsales\t电话销售\n', 'utf-16le')]));
    const summary = await ingestFiles(warehouse, [file], { map });
    expect(summary.files[0]).toMatchObject({ rowsLoaded: 1, rowsRejected: 0 });
    expect(await warehouse.one(`SELECT name, kind, language FROM queues WHERE queue_id = 'sales'`)).toEqual({ name: '电话销售', kind: 'sales', language: 'zh' });
  });
});

describe('mapping files', () => {
  it('every built-in profile is a valid mapping file', () => {
    const names = builtinProfiles().map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['native-calls', 'punch-clock-zh', 'hr-leave-zh', 'asterisk-queue-log', 'asterisk-cdr']));
  });

  it('explains what is wrong with a bad mapping', () => {
    const bad = { kind: 'calls', create: ['teams'], columns: { call_id: { from: 'id', const: 'x' }, wait_s: { from: 'w', unit: 'fortnights' } } };
    expect(() => parseMapping(bad, 'bad.json')).toThrowError(
      /mapping bad\.json is not valid:\n  create\.0: .*"agents"\|"queues"\n  columns\.call_id: give exactly one of "from", "date"\+"time" or "const"\n  columns\.wait_s\.unit: .*"seconds"/
    );
    expect(() => parseMapping({ kind: 'calls', columns: { colour: { from: 'c' } } }, 'm.json')).toThrowError(
      'columns.colour: "colour" is not a column of calls'
    );
  });
});
