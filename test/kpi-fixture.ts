// A small warehouse around the 2024 leap day whose KPIs are worked out by hand in
// test/kpi.test.ts (calls) and test/attendance.test.ts (shifts, punches, leave).
// Times are local (Asia/Shanghai, +08). Service-level threshold 20 s, short abandons < 5 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { createApi } from '../web/lib/server/api/index.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

export async function kpiWarehouse(): Promise<{ warehouse: Warehouse; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-kpi-'));
  const warehouse = await Warehouse.open(path.join(dir, 'kpi.duckdb'));
  await warehouse.run(`
    INSERT INTO teams VALUES ('T1', '一组', 'A1'), ('T2', '二组', NULL);
    INSERT INTO agents (agent_id, name, team_id) VALUES ('A1', '张伟', 'T1'), ('A2', '李娜', 'T1'), ('A3', '王芳', 'T2');
    INSERT INTO queues (queue_id, name, kind) VALUES ('q1', '业务咨询', 'consultation'), ('q2', '投诉建议', 'complaint');
    INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, caller_number, enqueued_at, answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, survey_score) VALUES
      ('k1',  'inbound',  'answered',    'q1', 'A1', '1391', '2024-02-28 09:05:00+08', '2024-02-28 09:05:10+08', '2024-02-28 09:06:50+08', 10, 100, 0, 20, 5),
      ('k2',  'inbound',  'answered',    'q1', 'A2', '1392', '2024-02-28 09:20:00+08', '2024-02-28 09:20:25+08', '2024-02-28 09:24:15+08', 25, 200, 30, 10, 4),
      ('k3',  'inbound',  'abandoned',   'q1', NULL, '1393', '2024-02-28 09:40:00+08', NULL, '2024-02-28 09:40:03+08', 3, 0, 0, 0, NULL),
      ('k4',  'inbound',  'abandoned',   'q2', NULL, '1394', '2024-02-28 10:10:00+08', NULL, '2024-02-28 10:10:30+08', 30, 0, 0, 0, NULL),
      ('k9',  'outbound', 'answered',    NULL, 'A2', '1398', '2024-02-28 12:00:00+08', '2024-02-28 12:00:00+08', '2024-02-28 12:00:50+08', 0, 50, 0, 0, 5),
      ('k5',  'inbound',  'transferred', 'q1', 'A1', '1391', '2024-02-29 09:10:00+08', '2024-02-29 09:10:20+08', '2024-02-29 09:11:20+08', 20, 60, 0, 0, 2),
      ('k7',  'inbound',  'callback',    'q1', NULL, '1396', '2024-02-29 10:00:00+08', NULL, '2024-02-29 10:01:00+08', 60, 0, 0, 0, NULL),
      ('k6',  'inbound',  'answered',    'q2', 'A3', '1395', '2024-02-29 23:50:00+08', '2024-02-29 23:50:05+08', '2024-03-01 00:00:05+08', 5, 300, 60, 40, NULL),
      ('k8',  'inbound',  'answered',    'q2', 'A3', '1397', '2024-03-01 00:20:00+08', '2024-03-01 00:20:15+08', '2024-03-01 00:22:15+08', 15, 120, 0, 30, 3),
      ('k10', 'inbound',  'abandoned',   'q1', NULL, '1399', '2024-03-01 10:00:00+08', NULL, '2024-03-01 10:00:08+08', 8, 0, 0, 0, NULL),
      ('k11', 'inbound',  'answered',    'q2', 'A3', '1395', '2024-03-03 10:00:00+08', '2024-03-03 10:00:10+08', '2024-03-03 10:02:10+08', 10, 120, 0, 0, NULL),
      ('k13', 'inbound',  'abandoned',   'q1', NULL, '1392', '2024-03-06 09:21:00+08', NULL, '2024-03-06 09:21:40+08', 40, 0, 0, 0, NULL),
      ('k12', 'inbound',  'answered',    'q1', 'A1', '1390', '2024-03-20 15:00:00+08', '2024-03-20 15:00:10+08', '2024-03-20 15:01:10+08', 10, 60, 0, 0, NULL);
    INSERT INTO shifts (agent_id, shift_date, shift_code, starts_at, ends_at) VALUES
      ('A1', '2024-02-28', 'day', '2024-02-28 08:00:00+08', '2024-02-28 17:00:00+08'),
      ('A2', '2024-02-28', 'day', '2024-02-28 08:00:00+08', '2024-02-28 17:00:00+08'),
      ('A1', '2024-02-29', 'day', '2024-02-29 08:00:00+08', '2024-02-29 17:00:00+08'),
      ('A2', '2024-02-29', 'day', '2024-02-29 08:00:00+08', '2024-02-29 17:00:00+08'),
      ('A3', '2024-02-29', 'night', '2024-02-29 17:00:00+08', '2024-03-01 01:00:00+08'),
      ('A1', '2024-03-01', 'day', '2024-03-01 08:00:00+08', '2024-03-01 17:00:00+08'),
      ('A3', '2024-03-01', 'night', '2024-03-01 17:00:00+08', '2024-03-02 01:00:00+08');
    INSERT INTO attendance (agent_id, punched_at, direction, device) VALUES
      ('A1', '2024-02-28 07:55:00+08', 'in', 'gate'), ('A1', '2024-02-28 17:02:00+08', 'out', 'gate'),
      ('A1', '2024-02-29 08:12:00+08', 'in', 'gate'), ('A1', '2024-02-29 17:00:00+08', 'out', 'gate'),
      ('A1', '2024-03-01 08:03:00+08', 'in', 'gate'), ('A1', '2024-03-01 16:30:00+08', 'out', 'gate'),
      ('A3', '2024-02-29 16:50:00+08', 'in', 'gate'), ('A3', '2024-03-01 01:05:00+08', 'out', 'gate'),
      ('A3', '2024-03-01 17:20:00+08', 'in', 'gate');
    INSERT INTO leaves (agent_id, starts_on, ends_on, kind, approved) VALUES
      ('A2', '2024-02-28', '2024-02-28', 'annual', true),
      ('A2', '2024-02-29', '2024-02-29', 'personal', false);
  `);
  await warehouse.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  return { warehouse, dir };
}

/** The fixture with its API, as a signed-in manager (what each role may call is test/access.test.ts's subject). */
export async function kpiApi(): Promise<{ warehouse: Warehouse; dir: string; api: SignedIn }> {
  const { warehouse, dir } = await kpiWarehouse();
  await addAccount(warehouse, 'manager');
  return { warehouse, dir, api: await signedIn(createApi({ warehouse }), 'test-manager') };
}
