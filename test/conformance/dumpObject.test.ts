// Conformance of dump-object: for every corpus case, capture and object type, dumpObjectText's output
// is byte-identical to the reference swarm-rafttool's, and where the reference fails (exit 255) it
// throws the reference's message (the first stderr line without "Error: ").
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dumpObjectText } from '../../src/core/report/dumpObject';
import { SwarmState } from '../../src/core/state/swarmState';
import { corpusCase, corpusCases } from '../support/fixtures';

const TYPES = ['node', 'service', 'task', 'network', 'cluster', 'secret', 'config', 'resource', 'extension'];

interface Manifest {
  unlock_key?: string | null;
  unlock_keys?: { current?: string | null };
}

/** Synth cases name their key `unlock_key`, real-engine cases `unlock_keys.current`. */
function unlockKeyOf(manifest: Manifest): string | undefined {
  return manifest.unlock_key ?? manifest.unlock_keys?.current ?? undefined;
}

for (const name of corpusCases()) {
  const dir = corpusCase(name);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  for (const capture of readdirSync(join(dir, 'expected')).sort()) {
    describe(`dump-object ${name}/${capture}`, () => {
      const expected = join(dir, 'expected', capture);
      const state = SwarmState.open(join(dir, capture), { unlockKey: unlockKeyOf(manifest) });
      after(() => state.close());
      for (const type of TYPES) {
        const base = join(expected, `dump-object-${type}`);
        if (!existsSync(`${base}.rc`)) continue;
        it(type, () => {
          const rc = Number(readFileSync(`${base}.rc`, 'utf8').trim());
          if (rc === 0) {
            assert.equal(dumpObjectText(state, { type }), readFileSync(`${base}.txt`, 'utf8'));
          } else {
            const line = readFileSync(`${base}.stderr`, 'utf8').split('\n')[0];
            assert.match(line, /^Error: /);
            assert.throws(() => dumpObjectText(state, { type }), { name: /Error$/, message: line.slice('Error: '.length) });
          }
        });
      }
    });
  }
}
