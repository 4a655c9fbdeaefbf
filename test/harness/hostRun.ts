// One run of a mocha suite inside VS Code's extension host through @vscode/test-electron's runTests:
// code-server (through the shim) or desktop VS Code, on the bundled sample swarm as workspace, with a
// throw-away profile. Shared by the extension tests and the extension benchmarks.
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { corpusCase } from '../support/fixtures';
import { removeScratch, repoRoot, scratchDir } from './paths';
import { toolsDir } from './tools';

export interface HostRun {
  label: string;
  /** Compiled mocha entry (`extensionTestsPath`). */
  testsPath: string;
  /** For the extension host (and, through the shim, code-server). */
  env: Record<string, string>;
  /** code-server version for the shim; else desktop VS Code `desktop` (downloaded). */
  codeServer?: string;
  desktop?: string;
}

/** Runs the suite; returns runTests' exit code (1 when it could not start). */
export async function runInExtensionHost(run: HostRun): Promise<number> {
  const profile = scratchDir(`profile-${run.label}`);
  // Read by the shim and inherited by code-server, hence by its extension host.
  Object.assign(process.env, run.env, run.codeServer ? { SWARM_RAFT_CODE_SERVER: run.codeServer } : {});
  try {
    return await runTests({
      vscodeExecutablePath: run.codeServer ? join(repoRoot, 'test', 'harness', 'code-server-shim') : undefined,
      version: run.desktop,
      cachePath: join(toolsDir, 'vscode-desktop'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: run.testsPath,
      extensionTestsEnv: run.env,
      launchArgs: [
        // A workspace to run against: the bundled sample swarm (a small real one).
        join(corpusCase('seed-sample'), 'swarm'),
        `--user-data-dir=${join(profile, 'user-data')}`,
        `--extensions-dir=${join(profile, 'extensions')}`,
        '--disable-extensions', // other installed extensions; the one under development still loads
      ],
    });
  } catch (error) {
    console.error(`[${run.label}] ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    removeScratch(profile);
  }
}
