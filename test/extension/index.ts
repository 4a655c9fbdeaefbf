// Mocha entry for the extension host (the `extensionTestsPath` of @vscode/test-electron). Runs every
// compiled *.test.js beside it. Works the same in desktop VS Code and in code-server.
// If $SWARM_RAFT_TEST_RESULT names a file, the counts are written there as JSON for the runner.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runMochaFiles } from '../harness/mochaEntry';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

export async function run(): Promise<void> {
  await runMochaFiles(testFiles(__dirname).sort(), { timeout: 30_000, what: 'extension test' });
}
