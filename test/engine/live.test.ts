// A live manager on a real engine: `capture` copies its state through the Engine API over a unix socket,
// tcp+TLS (a docker context made by the docker CLI) and ssh:// (an sshd on the sandbox's loopback), and each
// copy dumps as the stopped engine's own directory does; nothing is left on the host.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DOCKER, engineSkipReason, run, withSandbox, type Dockerd, type EngineSandbox } from '../support/dockerd';
import { runCli } from '../support/cli';
import { codeServerInstall } from '../harness/tools';
import { repoRoot } from '../support/fixtures';

const skip = engineSkipReason();
const scratch = mkdtempSync(join(tmpdir(), 'srx-live-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Services, a secret, a config and a network: a swarm with objects of several kinds. */
async function populate(d: Dockerd): Promise<void> {
  await d.importImage();
  await d.docker(['network', 'create', '-d', 'overlay', 'live-net']);
  await d.docker(['secret', 'create', 'live-secret', '-'], { input: 'top secret value' });
  await d.docker(['config', 'create', 'live-config', '-'], { input: 'config body' });
  await d.docker(['service', 'create', '--detach', '--no-resolve-image', '--name', 'web', '--replicas', '2', '--secret', 'live-secret', '--network', 'live-net', 'srx/busybox:1']);
}

/** What a host shows of containers and images: unchanged by a capture. */
async function hostObjects(d: Dockerd): Promise<string> {
  const containers = await d.docker(['ps', '-a', '--format', '{{.ID}} {{.Names}}']);
  const images = await d.docker(['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
  return `containers:\n${containers.out}\nimages:\n${images.out}`;
}

/** dump-wal --all and dump-snapshot of a state directory, as the CLI prints them. */
function dumps(stateDir: string): { wal: string; snapshot: string } {
  const wal = runCli(['-d', stateDir, 'dump-wal', '--all']);
  assert.equal(wal.code, 0, `dump-wal of ${stateDir}: ${wal.stderr}`);
  const snapshot = runCli(['-d', stateDir, 'dump-snapshot']);
  return { wal: wal.stdout, snapshot: snapshot.code === 0 ? snapshot.stdout : `(no snapshot: ${snapshot.stderr.trim()})` };
}

interface Captured {
  out: string;
  manifest: { hostActions: string[]; files: { path: string; size: number; sha256: string }[]; live: boolean; swarm: { nodeId: string; clusterId: string; manager: boolean } };
}

/** Runs `capture` in the sandbox's network namespace (its loopback is the daemons'). */
async function capture(sb: EngineSandbox, label: string, args: string[], env: NodeJS.ProcessEnv, files = true): Promise<Captured> {
  const out = join(scratch, label);
  const r = await sb.run(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'capture', '-o', out, ...args], { env: { PATH: process.env.PATH, ...env } });
  assert.equal(r.rc, 0, `capture over ${label}: ${r.stderr}`);
  assert.equal(r.out, files ? join(out, 'swarm') : '', 'prints where the copy is');
  return { out, manifest: JSON.parse(readFileSync(join(out, 'capture-manifest.json'), 'utf8')) as Captured['manifest'] };
}

function sh(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as dockerd --tlsverify wants them. */
function makeCertificates(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ssl = (...args: string[]) => sh('openssl', args, dir);
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=srx test ca');
  for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'], ['client', 'extendedKeyUsage=clientAuth']]) {
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
}

/** sshd on the sandbox's loopback (port 2222), key login only; its sessions reach `socket` as DOCKER_HOST. */
async function startSshd(sb: EngineSandbox, dir: string, dockerHost: string): Promise<{ proc: ChildProcess; home: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'id_ed25519')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(home, '.ssh', 'id_ed25519.pub')));
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:2222 ${hostPub[0]} ${hostPub[1]}\n`);
  const config = [
    'Port 2222', 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', `SetEnv DOCKER_HOST=${dockerHost}`,
  ];
  writeFileSync(join(dir, 'sshd_config'), config.join('\n') + '\n');
  // In the sandbox's network and mount namespaces (its /run is a tmpfs: sshd's privilege-separation dir goes there).
  const proc = spawn('nsenter', ['--target', String(sb.initPid), '--net', '--mount', '--', 'sh', '-c', `mkdir -p /run/sshd && exec /usr/sbin/sshd -D -e -f ${join(dir, 'sshd_config')}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 100; i++) {
    const probe = await sb.run('ssh', ['-p', '2222', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${join(home, '.ssh', 'known_hosts')}`, '-i', join(home, '.ssh', 'id_ed25519'), 'root@127.0.0.1', 'true'], { timeoutMs: 10_000 });
    if (probe.rc === 0) return { proc, home };
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGTERM');
  throw new Error(`sshd did not start on 127.0.0.1:2222: ${log}`);
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await gone;
}

test('capture copies a live manager through a unix socket, ssh:// and a TLS context; each copy dumps as the stopped state does', { skip, timeout: 600_000 }, async () => {
  await withSandbox('live-a', async (a) => {
    const m1 = await a.startDaemon('m1');
    const ids1 = await m1.init();
    // No image on the host yet: capture imports an empty one and removes it again.
    const bare = await hostObjects(m1);
    const first = await capture(a, 'unix-bare', ['--docker-host', m1.host], {});
    assert.equal(await hostObjects(m1), bare, 'the host has the containers and images it had');
    assert.ok(first.manifest.hostActions.some((s) => s.startsWith('imported an empty image')), first.manifest.hostActions.join('\n'));
    assert.ok(first.manifest.hostActions.some((s) => s.startsWith('removed image')));

    await populate(m1);
    await m1.docker(['service', 'scale', '--detach', 'web=3']);
    await new Promise((r) => setTimeout(r, 2000)); // the tasks settle: the log is quiet while it is copied
    const before = await hostObjects(m1);
    const viaUnix = await capture(a, 'unix', [], { DOCKER_HOST: m1.host });
    assert.equal(await hostObjects(m1), before, 'the capture left nothing on the host');
    assert.deepEqual(viaUnix.manifest.hostActions.map((s) => s.split(' ')[0]), ['created', 'read', 'removed'], viaUnix.manifest.hostActions.join('\n'));
    assert.equal(viaUnix.manifest.swarm.nodeId, ids1.nodeId);
    assert.equal(viaUnix.manifest.swarm.clusterId, ids1.clusterId);
    assert.equal(viaUnix.manifest.live, true);
    const noCerts = await capture(a, 'unix-no-certs', ['--no-certificates'], { DOCKER_HOST: m1.host });
    assert.ok(noCerts.manifest.files.length > 0 && noCerts.manifest.files.every((f) => !f.path.startsWith('swarm/certificates')), 'no certificates/');

    const ssh = await startSshd(a, join(a.dir, 'sshd'), m1.host);
    let viaSsh: Captured;
    try {
      viaSsh = await capture(a, 'ssh', ['--docker-host', 'ssh://root@127.0.0.1:2222'], { HOME: ssh.home });
    } finally {
      await stopProcess(ssh.proc);
    }
    assert.equal(await hostObjects(m1), before);

    // Redacted export: the log and snapshot as text, the secret's value hidden.
    const redacted = await capture(a, 'redacted', ['--redacted-export'], { DOCKER_HOST: m1.host }, false);
    const exported = readFileSync(join(redacted.out, 'dump-wal.txt'), 'utf8');
    assert.match(exported, /live-secret/);
    assert.doesNotMatch(exported, /top secret value/);
    assert.deepEqual(redacted.manifest.files.map((f) => f.path).sort(), ['dump-snapshot.txt', 'dump-wal.txt', 'faults.txt'].filter((f) => f !== 'dump-snapshot.txt' || redacted.manifest.files.some((x) => x.path === f)));

    await m1.stop();
    const direct = dumps(m1.swarmDir);
    assert.match(direct.wal, /top secret value/, 'the full dump has the value the redacted one hides');
    assert.match(direct.wal, /live-secret/);
    for (const copy of [viaUnix, viaSsh]) {
      assert.deepEqual(dumps(join(copy.out, 'swarm')), direct, `${copy.out} dumps as the stopped state`);
      for (const f of copy.manifest.files) {
        const bytes = readFileSync(join(copy.out, f.path));
        assert.equal(bytes.length, f.size, f.path);
      }
    }
  });

  await withSandbox('live-b', async (b) => {
    const certs = join(b.dir, 'certs');
    makeCertificates(certs);
    const m2 = await b.startDaemon('m2', {
      extraArgs: ['--tlsverify', '--tlscacert', join(certs, 'ca.pem'), '--tlscert', join(certs, 'server.pem'), '--tlskey', join(certs, 'server-key.pem'), '-H', 'tcp://127.0.0.1:2376'],
    });
    const ids2 = await m2.init();
    await populate(m2);
    await new Promise((r) => setTimeout(r, 2000));
    // The context store as the docker CLI writes it.
    const config = join(b.dir, 'client-config');
    const made = await b.run('/usr/bin/docker', ['context', 'create', 'tls-ctx', '--docker', `host=tcp://127.0.0.1:2376,ca=${join(certs, 'ca.pem')},cert=${join(certs, 'client.pem')},key=${join(certs, 'client-key.pem')}`], { env: { PATH: process.env.PATH, DOCKER_CONFIG: config } });
    assert.equal(made.rc, 0, made.stderr);
    const before = await hostObjects(m2);
    const viaTls = await capture(b, 'tls', ['--context', 'tls-ctx'], { DOCKER_CONFIG: config });
    assert.equal(viaTls.manifest.swarm.nodeId, ids2.nodeId);
    assert.equal(await hostObjects(m2), before);
    // Without the client certificate the engine refuses (TLS is verified both ways).
    const refused = await b.run(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'capture', '-o', join(scratch, 'tls-refused'), '--docker-host', 'tcp://127.0.0.1:2376'], { env: { PATH: process.env.PATH } });
    assert.equal(refused.rc, 1);
    await m2.stop();
    assert.deepEqual(dumps(join(viaTls.out, 'swarm')), dumps(m2.swarmDir));
  });
});

test('Follow in the extension host shows a running manager\'s service, secret and scale-up within 2 s', { skip: skip ?? toolsSkip(), timeout: 600_000 }, async () => {
  await withSandbox('live-f', async (sb) => {
    const m = await sb.startDaemon('m1');
    await m.init();
    await m.importImage();
    await m.docker(['secret', 'create', 'before-follow', '-'], { input: 'x' });
    await m.restart(); // the live state dir as an engine that was restarted writes it
    await m.waitReady();
    // The extension-host suite's Follow tests, with this engine's live state directory (read-only).
    sh(process.execPath, [join(repoRoot, 'scripts', 'build-tests.mjs')], repoRoot);
    const env: NodeJS.ProcessEnv = { ...process.env, SWARM_RAFT_TEST_GREP: 'Follow', SWARM_RAFT_LIVE_DIR: m.swarmDir, SWARM_RAFT_LIVE_DOCKER_HOST: m.host, SWARM_RAFT_LIVE_DOCKER: DOCKER };
    delete env.NODE_TEST_CONTEXT; // a test of its own, not a subtest of this runner
    const r = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'harness', 'runExtensionTests.ts'), '--vscode=oldest'], {
      env,
      timeoutMs: 480_000,
    });
    assert.equal(r.rc, 0, `${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
    assert.match(r.stdout, /2 passing/, 'both Follow tests ran (none skipped)');
  });
});

function toolsSkip(): string | undefined {
  try {
    codeServerInstall('oldest');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
