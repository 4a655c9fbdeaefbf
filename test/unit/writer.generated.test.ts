// The generated real-engine cases (Docker 20.10.24), when present: big-wal rolled over to a second
// segment in a real engine, two-managers has a follower's log. Written back verbatim they must come out
// byte for byte (etcd's roll-over and truncation included); decrypted they must read back identically.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runDecrypt } from '../../src/cli/commands/decrypt';
import { rewriteState } from '../../src/core/writer/rewriteState';
import { manifestUnlockKey } from '../support/cli';
import { generatedCase, generatedCases } from '../support/fixtures';
import { cleanupTempDirs, openState, readerText, tempDir } from './writer.support';

after(cleanupTempDirs);

function stateDirs(dir: string): string[] {
  if (existsSync(join(dir, 'swarm'))) return [join(dir, 'swarm')];
  return readdirSync(dir).filter((d) => existsSync(join(dir, d, 'swarm'))).sort().map((d) => join(dir, d, 'swarm'));
}

describe('generated real-engine cases through the writer', () => {
  for (const name of generatedCases()) {
    it(`${name}: verbatim copy byte-identical, decrypted copy reads the same`, () => {
      const dir = generatedCase(name);
      const unlockKey = manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
      for (const stateDir of stateDirs(dir)) {
        const source = openState(stateDir, { unlockKey });
        try {
          const copy = join(tempDir('generated'), 'swarm');
          rewriteState(source, copy, { mode: 'verbatim' });
          for (const s of source.wal.segments) {
            assert.ok(readFileSync(join(copy, 'raft', basename(source.layout.walDir), s.name)).equals(readFileSync(s.path)), `${stateDir}: ${s.name} differs`);
          }
          for (const s of source.snapshotFiles) {
            assert.ok(readFileSync(join(copy, 'raft', basename(source.layout.snapDir), s.name)).equals(readFileSync(s.path)), `${stateDir}: ${s.name} differs`);
          }
          const out = tempDir('generated-decrypt');
          runDecrypt(source, out);
          const plain = openState(out);
          try {
            const [a, b] = [readerText(source), readerText(plain)];
            assert.equal(b.wal, a.wal, stateDir);
            assert.equal(b.snapshot, a.snapshot, stateDir);
          } finally {
            plain.close();
          }
        } finally {
          source.close();
        }
      }
    });
  }
});
