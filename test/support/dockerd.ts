// Real Docker engines for the tests that must prove a feature on one (repair, recreate/restore, capture,
// follow). Debian's docker.io 20.10 daemon runs inside a sandbox made with `unshare`: its own PID, network
// and mount namespaces, loopback only, a tmpfs on /run (so it never meets a system containerd or another
// test's daemon). Sockets, data roots and logs live in a temp folder of the sandbox. Stopping: SIGTERM to
// each daemon by pid, then the sandbox's holder is killed, which ends whatever is left inside.
// Same isolation as scripts/fixtures/generate.mjs, which makes the committed fixtures.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOCKERD = '/usr/sbin/dockerd';
/** Debian's 20.10 client, the engine's own version (a newer client may sit earlier on PATH). */
export const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
export const TEST_IMAGE = 'srx/busybox:1';
const PROXY = 'http://127.0.0.1:9'; // nothing listens there: image pulls fail at once

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** stdout trimmed */
  out: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Why real-engine tests cannot run here, or undefined where they can. */
export function engineSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to start dockerd (CI runs as root)';
  if (!existsSync(DOCKERD)) return `${DOCKERD} is missing: install Debian's docker.io (scripts/tools/install.sh does)`;
  if (!existsSync('/usr/bin/unshare') && !existsSync('/bin/unshare')) return 'unshare (util-linux) is missing';
  return undefined;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString();
      resolve({ rc: code ?? (signal ? 128 : 1), stdout, stderr: Buffer.concat(err).toString(), out: stdout.trim() });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function firstChild(pid: number): number | undefined {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return kids ? Number(kids.split(/\s+/)[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** Own PID/network/mount namespaces with loopback up; every daemon of a test runs in one. */
export class EngineSandbox {
  private readonly daemons: Dockerd[] = [];

  private constructor(
    /** Temp folder for this sandbox's daemons (data roots, sockets, logs). */
    readonly dir: string,
    private readonly holder: ChildProcess,
    /** PID 1 of the sandbox as seen from here (for nsenter). */
    readonly initPid: number,
  ) {}

  static async create(label: string): Promise<EngineSandbox> {
    // Short path: unix socket paths are limited to 108 bytes (containerd's nest deepest, in exec/). The
    // extension host's TMPDIR is a long path of the harness's: /tmp then.
    const base = tmpdir().length > 24 && existsSync('/tmp') ? '/tmp' : tmpdir();
    const dir = mkdtempSync(join(base, `srx-${label.slice(0, 12)}-`));
    const script = 'mount -t tmpfs -o mode=0755 srx-run /run && ip link set lo up && exec sleep infinity';
    // --pdeathsig: if the test process dies, the sandbox goes too; --kill-child ends everything inside.
    const holder = spawn(
      'setpriv',
      ['--pdeathsig', 'KILL', '--', 'unshare', '--pid', '--fork', '--kill-child=SIGKILL', '--mount-proc', '--net', '--mount', '--propagation', 'private', '--', 'sh', '-c', script],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LIBMOUNT_UTAB: join(dir, 'utab') } },
    );
    const errs: Buffer[] = [];
    holder.stderr?.on('data', (d: Buffer) => errs.push(d));
    for (let i = 0; i < 500 && holder.exitCode === null; i++) {
      const pid = holder.pid === undefined ? undefined : firstChild(holder.pid);
      if (pid !== undefined && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep') return new EngineSandbox(dir, holder, pid);
      await sleep(10);
    }
    holder.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not create an engine sandbox (unshare): ${Buffer.concat(errs).toString().trim()}`);
  }

  /** The argv that runs cmd inside this sandbox's network namespace (the daemons' private loopback). */
  netnsArgv(cmd: string, args: string[]): [string, string[]] {
    return ['nsenter', ['--target', String(this.initPid), '--net', '--', cmd, ...args]];
  }

  /** Runs a command inside the sandbox's network namespace (e.g. a client of a daemon's tcp:// socket). */
  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const [c, a] = this.netnsArgv(cmd, args);
    return run(c, a, opts);
  }

  async startDaemon(name: string, opts: { dataRoot?: string; extraArgs?: string[] } = {}): Promise<Dockerd> {
    const d = new Dockerd(this, name, opts.dataRoot ?? join(this.dir, name, 'root'), opts.extraArgs ?? []);
    this.daemons.push(d);
    await d.start();
    return d;
  }

  /** Stops every daemon (SIGTERM, then SIGKILL), then the sandbox and everything left in it. */
  async shutdown(): Promise<void> {
    for (const d of [...this.daemons].reverse()) await d.stop().catch(() => {});
    if (this.holder.exitCode === null && this.holder.signalCode === null) {
      this.holder.kill('SIGKILL');
      await exited(this.holder, 10_000);
    }
    if (!process.env.SWARM_RAFT_KEEP_SCRATCH) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs fn with a fresh sandbox and always shuts it down. */
export async function withSandbox<T>(label: string, fn: (sb: EngineSandbox) => Promise<T>): Promise<T> {
  const sb = await EngineSandbox.create(label);
  try {
    return await fn(sb);
  } finally {
    await sb.shutdown();
  }
}

export interface SwarmIds {
  nodeId: string;
  clusterId: string;
  /** The unlock key, when the swarm was made autolocked. */
  unlockKey?: string;
}

/** One dockerd in a sandbox, with its own data root, exec root, socket and log. */
export class Dockerd {
  readonly base: string;
  readonly socket: string;
  readonly logFile: string;
  private proc: ChildProcess | undefined;
  private pid: number | undefined;

  constructor(
    private readonly sandbox: EngineSandbox,
    readonly name: string,
    readonly dataRoot: string,
    private readonly extraArgs: string[],
  ) {
    this.base = join(sandbox.dir, name);
    this.socket = join(this.base, 'docker.sock');
    this.logFile = join(this.base, 'dockerd.log');
    mkdirSync(this.base, { recursive: true });
  }

  get swarmDir(): string {
    return join(this.dataRoot, 'swarm');
  }

  get host(): string {
    return `unix://${this.socket}`;
  }

  env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: this.host, DOCKER_CONFIG: join(this.base, 'client-config') };
    delete env.DOCKER_CONTEXT;
    delete env.DOCKER_TLS_VERIFY;
    delete env.DOCKER_CERT_PATH;
    return env;
  }

  async start(): Promise<void> {
    if (this.proc) return;
    const conf = join(this.base, 'daemon.json');
    writeFileSync(conf, `${JSON.stringify({ 'deprecated-key-path': join(this.base, 'key.json') })}\n`);
    const args = [
      '--config-file', conf,
      '--data-root', this.dataRoot,
      '--exec-root', join(this.base, 'exec'),
      '--pidfile', join(this.base, 'docker.pid'),
      '-H', this.host,
      '--iptables=false',
      '--bridge=none',
      '--storage-driver=vfs',
      '--shutdown-timeout', '5',
      ...this.extraArgs,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, HTTP_PROXY: PROXY, HTTPS_PROXY: PROXY, http_proxy: PROXY, https_proxy: PROXY, NO_PROXY: '', no_proxy: '' };
    delete env.DOCKER_HOST;
    const fd = openSync(this.logFile, 'a');
    const child = spawn('nsenter', ['--target', String(this.sandbox.initPid), '--pid', '--net', '--mount', '--', DOCKERD, ...args], {
      env,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.proc = child;
    // nsenter forks: dockerd is its child.
    for (let i = 0; i < 500 && this.pid === undefined && child.exitCode === null; i++) {
      this.pid = child.pid === undefined ? undefined : firstChild(child.pid);
      if (this.pid === undefined) await sleep(10);
    }
    for (let i = 0; ; i++) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.proc = undefined;
        this.pid = undefined;
        throw new Error(`dockerd ${this.name} exited at start; log tail:\n${this.logTail()}`);
      }
      const r = await run(DOCKER, ['version', '--format', '{{.Server.Version}}'], { env: this.env(), timeoutMs: 10_000 });
      if (r.rc === 0) return;
      if (i > 300) throw new Error(`dockerd ${this.name} did not answer in 60 s; log tail:\n${this.logTail()}`);
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    const child = this.proc;
    if (!child) return;
    this.proc = undefined;
    const pid = this.pid;
    this.pid = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      if (pid !== undefined) killQuietly(pid, 'SIGTERM');
      if (!(await exited(child, 60_000))) {
        if (pid !== undefined) killQuietly(pid, 'SIGKILL');
        await exited(child, 10_000);
      }
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  /** dockerd's pid as seen from the test process (not the sandbox's own numbering). */
  get hostPid(): number | undefined {
    return this.pid;
  }

  logTail(n = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  }

  /** The daemon's whole log so far. */
  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Runs the docker client against this daemon; throws on a non-zero exit unless allowFail. */
  async docker(args: string[], opts: { input?: string | Buffer; allowFail?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
    const r = await run(DOCKER, args, { env: this.env(), input: opts.input, timeoutMs: opts.timeoutMs });
    if (r.rc !== 0 && !opts.allowFail) throw new Error(`docker ${args.join(' ')} (${this.name}) failed rc=${r.rc}: ${r.stderr.trim()}`);
    return r;
  }

  async swarmInfo(): Promise<SwarmInfo | undefined> {
    const r = await this.docker(['info', '--format', '{{json .Swarm}}'], { allowFail: true });
    try {
      return JSON.parse(r.out) as SwarmInfo;
    } catch {
      return undefined;
    }
  }

  /** `swarm init` on 127.0.0.1 of the sandbox; waits until the node is an active, ready manager. */
  async init(extra: string[] = []): Promise<SwarmIds> {
    const r = await this.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377', ...extra]);
    const info = await this.waitReady();
    const key = /SWMKEY-1-[A-Za-z0-9+/=_-]+/.exec(r.stdout)?.[0];
    return { nodeId: info.NodeID, clusterId: info.Cluster?.ID ?? '', ...(key ? { unlockKey: key } : {}) };
  }

  async waitReady(timeoutMs = 60_000): Promise<SwarmInfo> {
    const t = Date.now();
    for (;;) {
      const info = await this.swarmInfo();
      if (info?.LocalNodeState === 'active' && info.ControlAvailable) {
        const nodes = await this.docker(['node', 'ls', '-q'], { allowFail: true });
        if (nodes.rc === 0) return info;
      }
      if (Date.now() - t > timeoutMs) throw new Error(`${this.name}: swarm not ready after ${timeoutMs} ms (state ${info?.LocalNodeState}); log tail:\n${this.logTail()}`);
      await sleep(250);
    }
  }

  /** Waits until the daemon reports the swarm in one of the given local states (e.g. locked, error). */
  async waitState(states: string[], timeoutMs = 60_000): Promise<SwarmInfo> {
    const t = Date.now();
    for (;;) {
      const info = await this.swarmInfo();
      if (info && states.includes(info.LocalNodeState)) return info;
      if (Date.now() - t > timeoutMs) throw new Error(`${this.name}: swarm state ${info?.LocalNodeState}, not ${states.join('/')}, after ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  async unlock(key: string): Promise<void> {
    await this.docker(['swarm', 'unlock'], { input: `${key}\n` });
    await this.waitReady();
  }

  /** Imports a one-layer image of a static busybox as TEST_IMAGE (no registry is reachable here). */
  async importImage(): Promise<string> {
    const tar = busyboxRootfs(this.sandbox.dir);
    await this.docker(['import', '-c', 'CMD ["/bin/sh","-c","trap \'exit 0\' TERM INT; while :; do sleep 1; done"]', tar, TEST_IMAGE]);
    return TEST_IMAGE;
  }
}

export interface SwarmInfo {
  NodeID: string;
  LocalNodeState: string;
  ControlAvailable: boolean;
  Error?: string;
  Cluster?: { ID: string };
  Managers?: number;
  Nodes?: number;
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** A rootfs tar holding a static busybox, made once per sandbox folder. */
function busyboxRootfs(dir: string): string {
  const tar = join(dir, 'busybox-rootfs.tar');
  if (existsSync(tar)) return tar;
  const bb = '/bin/busybox';
  if (!existsSync(bb)) throw new Error('/bin/busybox is missing: install busybox-static');
  const root = join(dir, 'rootfs');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  cpSync(bb, join(root, 'bin', 'busybox'));
  for (const app of ['sh', 'sleep', 'echo', 'cat', 'ls', 'true', 'false', 'env']) symlinkSync('busybox', join(root, 'bin', app));
  const packed = spawnSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', tar, '.'], { stdio: 'ignore' });
  if (packed.status !== 0) throw new Error(`could not pack ${root}`);
  return tar;
}
