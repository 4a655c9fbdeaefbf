// Mocha entry for the extension host (the `extensionTestsPath` of @vscode/test-electron). Runs every
// compiled *.test.js beside it. Works the same in desktop VS Code and in code-server.
// If $SWARM_RAFT_TEST_RESULT names a file, the counts are written there as JSON for the runner.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

export async function run(): Promise<void> {
  // No colours: the output is relayed through the browser console and CI logs.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000 });
  for (const file of testFiles(__dirname).sort()) mocha.addFile(file);
  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  const resultFile = process.env.SWARM_RAFT_TEST_RESULT;
  if (resultFile) writeFileSync(resultFile, JSON.stringify(stats));
  if (stats.failures > 0) throw new Error(`${stats.failures} extension test(s) failed`);
  if (stats.passes === 0) throw new Error('no extension test ran');
}
