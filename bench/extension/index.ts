// Mocha entry of the extension-host benchmarks (the `extensionTestsPath` bench/extension/run.ts gives
// @vscode/test-electron): runs every compiled *.bench.js beside it, as test/extension/index.ts runs the
// tests. The benches assert only that things work (rows arrive, counts match); their figures go to the
// file named by $SWARM_RAFT_BENCH_RESULT, and the counts to $SWARM_RAFT_TEST_RESULT for the runner.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runMochaFiles } from '../../test/harness/mochaEntry';

export async function run(): Promise<void> {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort().map((f) => join(__dirname, f));
  await runMochaFiles(files, { timeout: 600_000, what: 'extension benchmark' });
}
