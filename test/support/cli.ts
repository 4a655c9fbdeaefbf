// Runs the built CLI (dist/cli.js) as users and other checks call it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { PATH: process.env.PATH, ...env },
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Runs dist/cli.js as an executable, as the installed `swarm-raft` runs (its shebang starts Node). */
export function runCliExecutable(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(join(repoRoot, 'dist', 'cli.js'), args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { PATH: process.env.PATH, ...env } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** The unlock key that opens a corpus case (real-engine manifests differ from synthetic ones). */
export function manifestUnlockKey(manifest: { unlock_key?: string | null; unlock_keys?: { current?: string | null } }): string | undefined {
  return manifest.unlock_key ?? manifest.unlock_keys?.current ?? undefined;
}
