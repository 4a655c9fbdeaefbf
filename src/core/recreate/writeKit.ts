// Writes a recovery kit into a new or empty folder outside the state directory. Everything in it is
// owner-only (0600 files, 0700 folders): it holds every secret in clear.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertOutsideOf, prepareEmptyDir } from '../writer/outputDir';
import type { RecoveryKit } from './kit';
import { kitReadme, reportText } from './reportText';
import { jsonText } from './values';

export const ENGINE_FILE = 'engine-api.json';
export const REPORT_FILE = 'report.md';
export const REPORT_JSON = 'report.json';

export interface KitSource {
  stateDir: string;
  /** Raft index the state was read at. */
  index: bigint;
}

export function writeRecoveryKit(kit: RecoveryKit, outDir: string, source: KitSource): string[] {
  assertOutsideOf(outDir, source.stateDir);
  const root = prepareEmptyDir(outDir);
  chmodSync(root, 0o700);
  const written: string[] = [];
  const write = (rel: string, data: string | Uint8Array): void => {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, data, { mode: 0o600, flag: 'wx' });
    written.push(rel);
  };
  for (const f of kit.files) write(f.path, f.data);
  for (const c of kit.compose) write(c.name, c.text);
  write(ENGINE_FILE, jsonText({ format: 'swarm-raft recovery kit 1', sourceIndex: source.index, ...kit.engine }) + '\n');
  write(REPORT_FILE, reportText(kit, source.index));
  write(REPORT_JSON, jsonText(kit.report) + '\n');
  write('README.md', kitReadme(kit, source.index));
  return written;
}
