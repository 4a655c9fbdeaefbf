// The `swarm-raft` executable: runs the CLI bundle (dist/cli-main.js) with V8's code cache made at build
// time (scripts/cliCodeCache.mjs), so a run does not compile again the functions every run uses (~60 ms of
// CPU, a sixth of a small log's export). Without the cache, or when V8 rejects it (another Node version),
// the bundle is compiled as Node would.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

const bundle = join(__dirname, 'cli-main.js');
let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(`${bundle}.cache`);
} catch {
  cachedData = undefined;
}
const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
// This module is the process's main module: the bundle's `require.main === module` then starts the CLI.
run.call(module.exports, module.exports, createRequire(bundle), module, bundle, __dirname);
