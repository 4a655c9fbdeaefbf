// The body of a mocha entry run in the extension host: runs the given compiled files, writes the
// counts to $SWARM_RAFT_TEST_RESULT (for the runner outside), and fails when any failed or none ran.
// Used by test/extension/index.ts and bench/extension/index.ts.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export async function runMochaFiles(files: string[], options: { timeout: number; what: string }): Promise<void> {
  // No colours: the output is relayed through the browser console and CI logs.
  // SWARM_RAFT_TEST_GREP runs only the tests whose titles match (e.g. one suite while working on it).
  const grep = process.env.SWARM_RAFT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: options.timeout, ...(grep ? { grep } : {}) });
  for (const file of files) mocha.addFile(file);
  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  const resultFile = process.env.SWARM_RAFT_TEST_RESULT;
  if (resultFile) writeFileSync(resultFile, JSON.stringify(stats));
  if (stats.failures > 0) throw new Error(`${stats.failures} ${options.what}(s) failed`);
  if (stats.passes === 0) throw new Error(`no ${options.what} ran`);
}
