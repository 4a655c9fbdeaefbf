// The `swarm-raft` executable: runs the CLI bundle (dist/cli-main.js) with V8's code cache made at build
// time (scripts/cliCodeCache.mjs), so a run does not compile again the functions every run uses (~60 ms of
// CPU, a sixth of a small log's export). Without the cache, or when V8 rejects it (another Node version),
// the bundle is compiled as Node would. It also gives back NODE_EXTRA_CA_CERTS, which its shell line moves
// aside so that commands that open no connection do not pay for parsing it (src/cli/extraCaCerts.ts).
import type * as ChildProcess from 'node:child_process';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { MOVED_CA_CERTS, needsExtraCaCerts } from './extraCaCerts';

// The CLI's garbage is short-lived (an entry's decoded bytes and text): a young generation left at its first
// size keeps the peak memory of a small log's export ~13 MB lower (100,000 tiny entries: 98 -> 85 MB).
// Read by V8 whenever it would grow the young generation.
setFlagsFromString('--semi-space-growth-factor=1');
// That first size is 2 MB when the executable's shell line starts Node with this flag (scripts/build.mjs; V8
// reads heap sizes only at start): half the scavenges of 1 MB, on 100,000 tiny entries 35 ms of scavenging
// instead of 48 (medians of 6) for 2 MB more. Set here too, where it changes nothing but the flags V8
// compares with the code cache's (scripts/cliCodeCache.mjs sets the same): `node dist/cli.js` keeps it.
setFlagsFromString('--min-semi-space-size=2');

const movedCaCerts = process.env[MOVED_CA_CERTS];
if (movedCaCerts !== undefined) {
  delete process.env[MOVED_CA_CERTS];
  // The processes this one starts see the environment as the user set it.
  if (movedCaCerts !== '') process.env.NODE_EXTRA_CA_CERTS = movedCaCerts;
}
if (movedCaCerts && needsExtraCaCerts(process.argv.slice(2))) runAgainWithCaCerts();
else runBundle();

/** Starts Node again on this file, now with NODE_EXTRA_CA_CERTS, and ends as it ends. */
function runAgainWithCaCerts(): void {
  // Required here: loading it costs ~4 ms, which the commands that run in this process do not pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require('node:child_process') as typeof ChildProcess;
  const child = spawn(process.execPath, [...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal itself; a signal sent to this process alone is passed on.
  const onInterrupt = (): void => {};
  const pass = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGINT', onInterrupt).on('SIGTERM', pass).on('SIGHUP', pass);
  child.on('exit', (code, signal) => {
    process.off('SIGINT', onInterrupt).off('SIGTERM', pass).off('SIGHUP', pass);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}

/** Runs the CLI bundle in this process, with the code cache. */
function runBundle(): void {
  const bundle = join(__dirname, 'cli-main.js');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${bundle}.cache`);
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  // For the tests that hold the build and this launcher to the same flags (a rejected cache is only slower)
  // and the executable to the young generation its shell line sets.
  if (process.env.SWARM_RAFT_CODE_CACHE_REPORT) {
    const cache = !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
    process.stderr.write(`code cache: ${cache}; node options: ${process.execArgv.join(' ') || 'none'}\n`);
  }
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
  // This module is the process's main module: the bundle's `require.main === module` then starts the CLI.
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, __dirname);
}
