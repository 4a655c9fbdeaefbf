// Scratch copies of fixtures for tests that damage files on purpose (never the unpacked originals).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function scratchCopy(source: string, label = 'scratch'): string {
  const dir = mkdtempSync(join(tmpdir(), `swarm-raft-${label}-`));
  const target = join(dir, 'swarm');
  cpSync(source, target, { recursive: true });
  return target;
}
