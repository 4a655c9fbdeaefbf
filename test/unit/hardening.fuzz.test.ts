// The fuzzer itself: inputs are a function of (seed, number) alone, and a short seeded run over the
// small bases finds nothing (a longer run is `npm run fuzz`, see docs/hardening.md).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadBases } from '../../scripts/fuzz/bases';
import { LAYER_NAMES, makeInput } from '../../scripts/fuzz/mutators';
import { repoRoot } from '../support/fixtures';

const SMALL = ['synth-nosnap', 'synth-snap', 'synth-unlocked', 'seed-sample', 'plain:synth-snap'];

describe('fuzzer', () => {
  it('makes the same input from the same seed and number, and different ones otherwise', () => {
    const bases = loadBases(SMALL);
    const digest = (seed: number, i: number) => {
      const input = makeInput(seed, i, LAYER_NAMES, bases);
      const files = [...input.files].map(([rel, c]) => `${rel}=${Buffer.isBuffer(c) ? c.toString('base64') : JSON.stringify(c)}`).sort();
      return JSON.stringify([input.base, input.layer, input.notes, input.options, files]);
    };
    for (let i = 0; i < 40; i++) assert.equal(digest(99, i), digest(99, i), `input ${i}`);
    const distinct = new Set(Array.from({ length: 40 }, (_, i) => digest(99, i)));
    assert.ok(distinct.size > 35, `${distinct.size} distinct inputs of 40`);
    const layers = new Set(Array.from({ length: 200 }, (_, i) => makeInput(5, i, LAYER_NAMES, bases).layer));
    assert.deepEqual([...layers].sort(), [...LAYER_NAMES].sort(), 'every layer is drawn');
  });

  it('a short seeded run finds nothing and reports the inputs tried per layer', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'fuzz', 'main.ts'),
      '--seed', '20261123', '--iterations', '16', '--jobs', '1', '--no-save', '--bases', SMALL.join(',')], {
      cwd: repoRoot, encoding: 'utf8', timeout: 300_000, killSignal: 'SIGKILL',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /fuzz: 16 inputs in \d+ s/);
    assert.match(r.stdout, /^layer\s+tried\s+clean\s+faults\s+refused\s+FAILED$/m);
  });
});
