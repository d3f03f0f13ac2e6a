// The HR system's leave export (profile "hr-leave-zh"): an .xlsx with the header
// 工号,姓名,请假类型,开始日期,结束日期,审批状态. Zip entry dates are pinned so a seed always gives
// the same bytes.
import JSZip from 'jszip';
import { Clock } from './clock.ts';
import type { LeaveRecord } from './roster.ts';

/** A fixed timestamp for the workbook's metadata and zip entries (output must not depend on the clock). */
const PINNED_DATE = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));

export async function leavesWorkbook(leaves: LeaveRecord[], clock: Clock): Promise<Buffer> {
  // Imported here: exceljs takes about 0.4 s to load, which every zhijian command would pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'HR';
  workbook.created = PINNED_DATE;
  workbook.modified = PINNED_DATE;
  const sheet = workbook.addWorksheet('请假记录');
  sheet.addRow(['工号', '姓名', '请假类型', '开始日期', '结束日期', '审批状态']);
  const sorted = [...leaves].sort((a, b) => a.startDay - b.startDay || a.agent.index - b.agent.index);
  for (const leave of sorted) {
    sheet.addRow([leave.agent.id, leave.agent.name, leave.kind, clock.isoDate(leave.startDay), clock.isoDate(leave.endDay), leave.status]);
  }
  sheet.columns.forEach((column) => (column.width = 14));
  const raw = Buffer.from(await workbook.xlsx.writeBuffer());
  // exceljs stamps each zip entry with the current time; rewrite them with a fixed date.
  const zip = await JSZip.loadAsync(raw);
  const pinned = new JSZip();
  for (const name of Object.keys(zip.files)) {
    const entry = zip.files[name];
    if (entry.dir) continue;
    pinned.file(name, await entry.async('nodebuffer'), { date: PINNED_DATE, createFolders: false });
  }
  return pinned.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
