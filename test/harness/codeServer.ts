// Starts code-server on a free loopback port with its own config, user-data, extensions and temp
// folders, so a run never touches ~/.config or another run's state.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { killGroup, spawnGroup } from './processes';
import { removeScratch, repoRoot, resultsPath, scratchDir } from './paths';
import { codeServerInstall, type CodeServerInstall } from './tools';

export interface CodeServerOptions {
  /** 'oldest', 'newest' or an exact code-server version; default $SWARM_RAFT_CODE_SERVER or newest. */
  which?: string;
  /** Name of the run: logs go to test-results/logs/<name>/. */
  name: string;
  /** Install the repo's extension into the extensions dir (a symlink, as an installed extension). */
  installExtension?: boolean;
  /** Install this packaged extension with code-server's `--install-extension`, as a user does (instead of the link). */
  vsix?: string;
  /** Keep VS Code's workspace trust on (default off): an untrusted folder then opens in Restricted Mode. */
  workspaceTrust?: boolean;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  userDataDir?: string;
  extensionsDir?: string;
  /** Port to listen on (default: a free one). Always on 127.0.0.1. */
  port?: number;
  /** Folder the workbench opens when the URL names none. */
  folder?: string;
  /** Extra environment for the server and so for the extension host. */
  env?: Record<string, string>;
}

export interface CodeServer {
  install: CodeServerInstall;
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  logDir: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic for tests. */
const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Links the repo into `extensionsDir` the way an installed extension lies there. */
export function linkRepoExtension(extensionsDir: string): void {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  mkdirSync(extensionsDir, { recursive: true });
  symlinkSync(repoRoot, join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`));
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const install = codeServerInstall(options.which);
  // Short names: VS Code's IPC socket paths under TMPDIR must stay below 107 characters.
  const scratch = scratchDir(`cs-${install.version}`);
  const userDataDir = options.userDataDir ?? join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(scratch, 'extensions');
  const logDir = resultsPath('logs', options.name);
  for (const d of ['t', 'xdg-config', 'xdg-data', 'xdg-cache']) mkdirSync(join(scratch, d), { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...trust, ...options.settings }, null, 2));
  if (options.installExtension) linkRepoExtension(extensionsDir);
  const env = {
    ...process.env,
    PATH: `${install.nodeBinDir}:${process.env.PATH ?? ''}`,
    TMPDIR: join(scratch, 't'),
    XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
    XDG_DATA_HOME: join(scratch, 'xdg-data'),
    XDG_CACHE_HOME: join(scratch, 'xdg-cache'),
    // No extension gallery: it is unreachable here and its failed queries flood the logs.
    EXTENSIONS_GALLERY: '{}',
    ...options.env,
  };
  if (options.vsix) {
    // What a user runs: code-server installs the .vsix into the extensions dir and exits.
    const installed = spawnSync(join(install.nodeBinDir, 'node'), [install.entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', options.vsix], { cwd: scratch, env, encoding: 'utf8', timeout: 120_000 });
    writeFileSync(join(logDir, 'install-extension.log'), `${installed.stdout ?? ''}${installed.stderr ?? ''}`);
    if (installed.status !== 0) {
      removeScratch(scratch);
      throw new Error(`code-server --install-extension ${options.vsix} failed (exit ${installed.status}): ${installed.stderr || installed.stdout}`);
    }
  }

  const port = options.port ?? (await freeLoopbackPort());
  const config = join(scratch, 'config.yaml');
  writeFileSync(
    config,
    [`bind-addr: 127.0.0.1:${port}`, 'auth: none', 'cert: false', 'disable-telemetry: true',
      'disable-update-check: true', ...(options.workspaceTrust ? [] : ['disable-workspace-trust: true']), 'disable-getting-started-override: true', ''].join('\n'),
  );

  const log = createWriteStream(join(logDir, 'code-server.log'));
  const child = spawnGroup(
    join(install.nodeBinDir, 'node'),
    [install.entry, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      ...(options.folder ? [options.folder] : [])],
    {
      cwd: scratch,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    await killGroup(child.pid);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    log.end();
    removeScratch(scratch);
  };

  try {
    await waitForHealthy(origin, exited, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`code-server ${install.version} did not start (see ${join(logDir, 'code-server.log')}): ${String(error)}`, { cause: error });
  }
  return { install, port, origin, logDir, userDataDir, extensionsDir, stop };
}

async function waitForHealthy(origin: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error('process exited');
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not healthy after ${timeoutMs} ms`);
}
