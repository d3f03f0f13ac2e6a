// A small warehouse written by hand, whose figures are easy to compute on paper
// (see the expectations in test/api.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../web/lib/server/warehouse.ts';

export async function fixtureWarehouse(): Promise<{ warehouse: Warehouse; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-api-'));
  const warehouse = await Warehouse.open(path.join(dir, 'test.duckdb'));
  await warehouse.run(`
    INSERT INTO teams VALUES ('T01', '一组', NULL);
    INSERT INTO agents (agent_id, name, team_id) VALUES ('1001', '张伟', 'T01'), ('1002', '李娜', 'T01');
    INSERT INTO queues (queue_id, name, kind) VALUES ('consult', '业务咨询', 'consultation'), ('complaint', '投诉建议', 'complaint');
    INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, enqueued_at, answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, survey_score) VALUES
      ('c1', 'inbound', 'answered', 'consult', '1001', '2026-07-01 09:00:00+08', '2026-07-01 09:00:10+08', '2026-07-01 09:02:10+08', 10, 100, 20, 30, 5),
      ('c2', 'inbound', 'answered', 'consult', '1002', '2026-07-01 10:00:00+08', '2026-07-01 10:00:30+08', '2026-07-01 10:04:00+08', 30, 200, 0, 40, 4),
      ('c3', 'inbound', 'abandoned', 'consult', NULL, '2026-07-01 11:00:00+08', NULL, '2026-07-01 11:00:45+08', 45, 0, 0, 0, NULL),
      ('c4', 'inbound', 'transferred', 'complaint', '1001', '2026-07-02 09:00:00+08', '2026-07-02 09:00:20+08', '2026-07-02 09:01:20+08', 20, 50, 10, 0, 2),
      ('c5', 'inbound', 'abandoned', 'complaint', NULL, '2026-07-02 23:30:00+08', NULL, '2026-07-02 23:30:05+08', 5, 0, 0, 0, NULL),
      ('c6', 'inbound', 'callback', 'consult', NULL, '2026-07-03 00:30:00+08', NULL, '2026-07-03 00:31:00+08', 60, 0, 0, 0, NULL),
      ('c7', 'outbound', 'answered', NULL, '1002', '2026-07-03 10:00:00+08', '2026-07-03 10:00:00+08', '2026-07-03 10:05:00+08', 0, 300, 0, 0, 3),
      ('c8', 'inbound', 'answered', 'consult', '1002', '2026-06-20 14:00:00+08', '2026-06-20 14:00:05+08', '2026-06-20 14:01:05+08', 5, 60, 0, 0, 1);
  `);
  await warehouse.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  return { warehouse, dir };
}
