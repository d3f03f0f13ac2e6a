// A warehouse of a generated center, loaded through the real loader, in a temporary folder:
// for suites that need realistic volumes rather than hand-counted rows (test/kpi-fixture.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate, type GenerateOptions } from '../ingest/generate/generate.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { afterAll, beforeAll } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';

export interface GeneratedWarehouse {
  warehouse: Warehouse;
  /** Closes the warehouse and removes the folder. */
  dispose(): void;
}

export async function generatedWarehouse(options: Omit<GenerateOptions, 'out'>): Promise<GeneratedWarehouse> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-generated-'));
  await generate({ out: path.join(dir, 'export'), ...options });
  const warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
  await ingestFiles(warehouse, [path.join(dir, 'export')]);
  return {
    warehouse,
    dispose() {
      warehouse.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** A suite's generated warehouse: made before its tests (handed to `use`), removed after them. */
export function useGeneratedWarehouse(options: Omit<GenerateOptions, 'out'>, use: (warehouse: Warehouse) => void): void {
  let center: GeneratedWarehouse | undefined;
  beforeAll(async () => {
    center = await generatedWarehouse(options);
    use(center.warehouse);
  }, 120_000);
  afterAll(() => center?.dispose());
}
