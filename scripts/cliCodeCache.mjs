// Writes dist/cli-main.js.cache, V8's code cache for the CLI bundle, after running the commands users run
// most (dump-wal, --redact, --format json, dump-snapshot, dump-object) on two corpus cases, so the functions
// they compile are in it. Run by scripts/build.mjs; dist/cli.js (src/cli/launch.ts) reads it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

// V8 takes a cache only under the flags it was made with: the same flags as src/cli/launch.ts sets.
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--min-semi-space-size=2');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli-main.js');
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8').replace(/^#!.*/, '')), { filename: bundle });
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));

const scratch = mkdtempSync(join(tmpdir(), 'swarm-raft-codecache-'));
try {
  for (const name of ['synth-snap', 'objects']) {
    execFileSync('tar', ['-xzf', join(root, 'test', 'fixtures', 'corpus', `${name}.tar.gz`), '-C', scratch]);
  }
  const key = JSON.parse(readFileSync(join(scratch, 'synth-snap', 'manifest.json'), 'utf8')).unlock_key;
  process.env.SWARM_UNLOCK_KEY = key;
  const runs = [];
  for (const dir of [join(scratch, 'synth-snap', 'swarm'), join(scratch, 'objects', 'swarm')]) {
    runs.push(['dump-wal', '--all'], ['dump-wal', '--redact'], ['dump-wal', '--format', 'json'], ['dump-snapshot'], ['dump-snapshot', '--redact'], ['dump-object', 'service']);
    for (const args of runs.splice(0)) await module.exports.main(['-d', dir, ...args]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const cachedData = script.createCachedData();
if (new Script(Module.wrap(readFileSync(bundle, 'utf8').replace(/^#!.*/, '')), { filename: bundle, cachedData }).cachedDataRejected) {
  throw new Error('V8 rejects the code cache it just made');
}
writeFileSync(`${bundle}.cache`, cachedData);
