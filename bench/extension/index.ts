// Mocha entry of the extension-host benchmarks (the `extensionTestsPath` bench/extension/run.ts gives
// @vscode/test-electron): runs every compiled *.bench.js beside it, as test/extension/index.ts runs the
// tests. The benches assert only that things work (rows arrive, counts match); their figures go to the
// file named by $SWARM_RAFT_BENCH_RESULT, and the counts to $SWARM_RAFT_TEST_RESULT for the runner.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 600_000 });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort()) mocha.addFile(join(__dirname, file));
  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  const resultFile = process.env.SWARM_RAFT_TEST_RESULT;
  if (resultFile) writeFileSync(resultFile, JSON.stringify(stats));
  if (stats.failures > 0) throw new Error(`${stats.failures} extension benchmark(s) failed`);
  if (stats.passes === 0) throw new Error('no extension benchmark ran');
}
