// Which engine capture talks to, decided as the docker CLI decides: --docker-host, --context, DOCKER_HOST
// (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), DOCKER_CONTEXT, config.json's currentContext, the default
// socket; contexts from the CLI's store (meta.json under contexts/meta/<sha256(name)>, TLS files under
// contexts/tls/). Also: ssh known_hosts matching, the tar unpacking of the archive API's stream, and an
// engine with no Raft state (a worker, a node outside a swarm) refused before anything is done.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { pack } from 'tar-stream';
import { captureState } from '../../src/core/capture/capture';
import { DEFAULT_SOCKET, contextKey, displayHost, listContexts, resolveEndpoint } from '../../src/core/capture/endpoint';
import { knownHostKeys } from '../../src/core/capture/sshAuth';
import { unpackTar } from '../../src/core/capture/tarCopy';

const root = mkdtempSync(join(tmpdir(), 'swarm-raft-endpoint-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh home with a docker config dir; contexts written as the docker CLI writes them. */
function home(contexts: { name: string; host: string; skipVerify?: boolean; tls?: boolean }[] = [], current?: string): { home: string; config: string } {
  const h = join(root, `home${n++}`);
  const config = join(h, '.docker');
  mkdirSync(config, { recursive: true });
  if (current !== undefined) writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: {}, currentContext: current }));
  for (const c of contexts) {
    const key = createHash('sha256').update(c.name).digest('hex');
    mkdirSync(join(config, 'contexts', 'meta', key), { recursive: true });
    writeFileSync(join(config, 'contexts', 'meta', key, 'meta.json'), JSON.stringify({
      Name: c.name, Metadata: { Description: '' }, Endpoints: { docker: { Host: c.host, SkipTLSVerify: c.skipVerify ?? false } },
    }));
    if (c.tls) {
      const dir = join(config, 'contexts', 'tls', key, 'docker');
      mkdirSync(dir, { recursive: true });
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `${c.name} ${f}`);
    }
  }
  return { home: h, config };
}

describe('capture: choosing the engine', () => {
  it('uses the default socket when nothing is set', () => {
    const h = home();
    assert.deepEqual(resolveEndpoint({ env: {}, home: h.home }), { host: DEFAULT_SOCKET, source: 'default socket' });
  });

  it('takes DOCKER_HOST, and TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const h = home();
    assert.deepEqual(resolveEndpoint({ env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, home: h.home }), { host: 'unix:///run/user/1000/docker.sock', source: 'DOCKER_HOST' });
    assert.equal(resolveEndpoint({ env: { DOCKER_HOST: '10.0.0.5:2375' }, home: h.home }).host, 'tcp://10.0.0.5:2375', 'a bare host:port is tcp');
    const certs = join(root, `certs${n++}`);
    mkdirSync(certs);
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), f);
    const e = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }, home: h.home });
    assert.equal(e.tls?.verify, true);
    assert.equal(e.tls?.ca?.toString(), 'ca.pem');
    assert.equal(e.tls?.key?.toString(), 'key.pem');
    assert.throws(() => resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(root, 'none') }, home: h.home }), /cannot read .*ca\.pem for TLS/);
    assert.equal(resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h:2375' }, home: h.home }).tls, undefined, 'plain tcp without the TLS variables');
  });

  it('--docker-host wins over the environment; host and context together are refused', () => {
    const h = home([{ name: 'remote', host: 'tcp://1.2.3.4:2376' }], 'remote');
    const e = resolveEndpoint({ dockerHost: 'ssh://me@box', env: { DOCKER_HOST: 'tcp://h:1', DOCKER_CONTEXT: 'remote' }, home: h.home });
    assert.deepEqual(e, { host: 'ssh://me@box', source: '--docker-host' });
    assert.throws(() => resolveEndpoint({ dockerHost: 'ssh://me@box', context: 'remote', env: {}, home: h.home }), /either a Docker host or a context/);
  });

  it('reads a context from the CLI store, with its TLS files', () => {
    const h = home([{ name: 'prod', host: 'tcp://10.1.1.1:2376', tls: true }, { name: 'lab', host: 'ssh://ops@lab.example' }]);
    const prod = resolveEndpoint({ context: 'prod', env: {}, home: h.home });
    assert.equal(prod.host, 'tcp://10.1.1.1:2376');
    assert.equal(prod.source, 'context prod');
    assert.equal(prod.tls?.verify, true);
    assert.equal(prod.tls?.cert?.toString(), 'prod cert.pem');
    assert.equal(prod.tls?.from, join(h.config, 'contexts', 'tls', contextKey('prod'), 'docker'));
    assert.deepEqual(resolveEndpoint({ context: 'lab', env: {}, home: h.home }), { host: 'ssh://ops@lab.example', source: 'context lab' });
    assert.throws(() => resolveEndpoint({ context: 'nope', env: {}, home: h.home }), /docker context "nope" \(from --context\): no such context/);
  });

  it('honours SkipTLSVerify of a context', () => {
    const h = home([{ name: 'insecure', host: 'tcp://h:2376', skipVerify: true, tls: true }]);
    assert.equal(resolveEndpoint({ context: 'insecure', env: {}, home: h.home }).tls?.verify, false);
  });

  it('DOCKER_HOST before DOCKER_CONTEXT before currentContext; "default" is the environment or the socket', () => {
    const h = home([{ name: 'a', host: 'tcp://a:2375' }, { name: 'b', host: 'tcp://b:2375' }], 'a');
    assert.equal(resolveEndpoint({ env: {}, home: h.home }).host, 'tcp://a:2375');
    assert.match(resolveEndpoint({ env: {}, home: h.home }).source, /currentContext/);
    assert.equal(resolveEndpoint({ env: { DOCKER_CONTEXT: 'b' }, home: h.home }).host, 'tcp://b:2375');
    assert.equal(resolveEndpoint({ env: { DOCKER_CONTEXT: 'b', DOCKER_HOST: 'unix:///x.sock' }, home: h.home }).host, 'unix:///x.sock');
    assert.equal(resolveEndpoint({ context: 'default', env: {}, home: h.home }).host, DEFAULT_SOCKET);
    assert.equal(resolveEndpoint({ env: { DOCKER_CONFIG: join(home().home, '.docker') }, home: h.home }).host, DEFAULT_SOCKET, 'DOCKER_CONFIG moves the store');
  });

  it('refuses what capture cannot use, and lists contexts for a picker', () => {
    const h = home([{ name: 'z', host: 'tcp://z:1' }, { name: 'm', host: 'unix:///m.sock' }]);
    assert.throws(() => resolveEndpoint({ dockerHost: 'npipe:////./pipe/docker_engine', env: {}, home: h.home }), /Windows named pipe/);
    assert.throws(() => resolveEndpoint({ dockerHost: 'http://h:1', env: {}, home: h.home }), /unsupported Docker host/);
    assert.deepEqual(listContexts(h.config).map((c) => c.name), ['default', 'm', 'z']);
    assert.equal(displayHost({ host: 'ssh://me:pw@box:22', source: 'x' }), 'ssh://me@box:22', 'no password in messages');
  });
});

describe('capture: ssh host keys', () => {
  const key = Buffer.from('ssh-ed25519 wire bytes');
  const salt = Buffer.from('0123456789abcdef0123');
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[127.0.0.1]:2222').digest('base64')}`;

  it('finds plain and hashed known_hosts entries for host and port', () => {
    const text = [
      '# comment', `box.example,10.0.0.9 ssh-ed25519 ${key.toString('base64')}`,
      `${hashed} ssh-ed25519 ${key.toString('base64')}`, `@cert-authority *.example ssh-ed25519 ${key.toString('base64')}`,
    ].join('\n');
    assert.deepEqual(knownHostKeys(text, '10.0.0.9', 22), [key]);
    assert.deepEqual(knownHostKeys(text, '127.0.0.1', 2222), [key]);
    assert.deepEqual(knownHostKeys(text, '127.0.0.1', 22), [], 'another port is another host');
    assert.deepEqual(knownHostKeys(text, 'other.example', 22), []);
  });
});

describe('capture: unpacking the archive stream', () => {
  it('writes files and directories with their SHA-256, and refuses paths that leave the folder or are not files', async () => {
    const tar = pack();
    tar.entry({ name: 'swarm', type: 'directory' });
    tar.entry({ name: 'swarm/raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal' }, Buffer.from('wal bytes'));
    tar.entry({ name: 'swarm/state.json' }, Buffer.from('[]'));
    tar.entry({ name: '../escape' }, Buffer.from('no'));
    tar.entry({ name: 'swarm/link', type: 'symlink', linkname: '/etc/passwd' });
    tar.finalize();
    const out = join(root, `out${n++}`);
    mkdirSync(out);
    const r = await unpackTar(Readable.from(tar), out);
    assert.deepEqual(r.files.map((f) => [f.path, f.size, f.sha256]), [
      ['swarm/raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal', 9, createHash('sha256').update('wal bytes').digest('hex')],
      ['swarm/state.json', 2, createHash('sha256').update('[]').digest('hex')],
    ]);
    assert.deepEqual(r.skipped.map((s) => s.path), ['../escape', 'swarm/link']);
    assert.equal(readFileSync(join(out, 'swarm', 'state.json'), 'utf8'), '[]');
    assert.deepEqual(readdirSync(root).filter((f) => f === 'escape'), []);
    assert.deepEqual(readdirSync(join(out, 'swarm')).sort(), ['raft', 'state.json']);
  });
});

describe('capture: engines with no Raft state', () => {
  /** An engine that answers /version and /info as a worker (or a node outside a swarm) does. */
  async function fakeEngine(swarm: object): Promise<{ host: string; calls: string[]; close: () => Promise<void> }> {
    const socket = join(root, `engine${n++}.sock`);
    const calls: string[] = [];
    const server = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/version') res.end(JSON.stringify({ Version: '20.10.24', ApiVersion: '1.41' }));
      else if (req.url === '/info') res.end(JSON.stringify({ OSType: 'linux', DockerRootDir: '/var/lib/docker', Swarm: swarm }));
      else {
        res.statusCode = 500;
        res.end(JSON.stringify({ message: 'not expected' }));
      }
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return { host: `unix://${socket}`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('refuses a worker and a node outside a swarm, asking nothing else and creating no output', async () => {
    for (const [swarm, why] of [
      [{ NodeID: 'w1', LocalNodeState: 'active', ControlAvailable: false, Cluster: { ID: 'c1' } }, /is a worker \(not a manager\) of swarm c1: only managers keep Raft state/],
      [{ NodeID: '', LocalNodeState: 'inactive', ControlAvailable: false }, /is not part of a swarm \(node state inactive\): it has no Raft state/],
    ] as const) {
      const engine = await fakeEngine(swarm);
      const out = join(root, `never${n++}`);
      try {
        await assert.rejects(captureState({ out, dockerHost: engine.host, env: {} }), why);
        assert.deepEqual(engine.calls, ['GET /version', 'GET /info'], 'nothing is created on the host');
        assert.equal(existsSync(out), false, 'no output folder');
      } finally {
        await engine.close();
      }
    }
  });
});
