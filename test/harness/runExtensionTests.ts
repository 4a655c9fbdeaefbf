// Runs the extension-host mocha suite (dist/test/extension/index.js) through @vscode/test-electron's
// runTests, once per VS Code:
//   default           code-server's oldest and newest VS Code, via the shim as vscodeExecutablePath
//   --vscode=oldest   or newest, or an exact code-server version: that one only
//   --desktop[=ver]   desktop VS Code downloaded by @vscode/test-electron (default: stable), where the
//                     download servers are reachable; cached in the tools folder
// Prints "<label>: N passed, N failed" per run and exits non-zero if any run failed.
// Build first: node scripts/build.mjs && node scripts/build-tests.mjs (npm run test:extension does).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runInExtensionHost } from './hostRun';
import { repoRoot, resultsPath } from './paths';
import { codeServerInstall, codeServerVersions } from './tools';

interface Target {
  label: string;
  /** For code-server runs: the version for the shim. */
  codeServer?: string;
  /** For desktop runs: the VS Code version to download. */
  desktop?: string;
}

function targets(argv: string[]): Target[] {
  const desktop = argv.find((a) => a === '--desktop' || a.startsWith('--desktop='));
  if (desktop) {
    const version = desktop.includes('=') ? desktop.split('=')[1] : 'stable';
    return [{ label: `desktop-${version}`, desktop: version }];
  }
  const which = argv.find((a) => a.startsWith('--vscode='))?.split('=')[1];
  const versions = which ? [which] : [codeServerVersions.oldest, codeServerVersions.newest];
  return versions.map((v) => {
    const install = codeServerInstall(v);
    return { label: `vscode-${install.vscodeVersion}`, codeServer: install.version };
  });
}

async function runOne(target: Target): Promise<{ passes: number; failures: number }> {
  const resultFile = join(resultsPath('extension'), `${target.label}.json`);
  rmSync(resultFile, { force: true });
  const started = Date.now();
  const exitCode = await runInExtensionHost({
    label: target.label,
    testsPath: join(repoRoot, 'dist', 'test', 'extension', 'index.js'),
    // SWARM_RAFT_TEST_GREP runs only the tests whose full title matches (mocha's grep), e.g. while working on one feature.
    env: { SWARM_RAFT_TEST_RESULT: resultFile, ...(process.env.SWARM_RAFT_TEST_GREP ? { SWARM_RAFT_TEST_GREP: process.env.SWARM_RAFT_TEST_GREP } : {}) },
    codeServer: target.codeServer,
    desktop: target.desktop,
  });
  const counts = existsSync(resultFile)
    ? (JSON.parse(readFileSync(resultFile, 'utf8')) as { passes: number; failures: number })
    : { passes: 0, failures: 1 }; // the suite never reported: count the run as one failure
  if (exitCode !== 0 && counts.failures === 0) counts.failures = 1;
  console.log(`[${target.label}] finished in ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${exitCode}`);
  return counts;
}

async function main(): Promise<number> {
  if (!existsSync(join(repoRoot, 'dist', 'test', 'extension', 'index.js'))) {
    console.error('dist/test/extension/index.js is missing: run node scripts/build-tests.mjs');
    return 2;
  }
  const summary: string[] = [];
  let failed = false;
  for (const target of targets(process.argv.slice(2))) {
    const { passes, failures } = await runOne(target);
    failed ||= failures > 0;
    summary.push(`${target.label}: ${passes} passed, ${failures} failed`);
  }
  // One closing line per VS Code, in the plain form CI reads.
  for (const line of summary) console.log(line);
  return failed ? 1 : 0;
}

void main().then((code) => process.exit(code));
