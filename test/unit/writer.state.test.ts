// Whole state directories from the writer, read back with SwarmState: identity, key files (unlocked,
// locked, pending DEK), both SwarmKit algorithms, the plain layout, and the certificate and private key
// checked by node:crypto.
import assert from 'node:assert/strict';
import { createECDH, createHash, createPrivateKey, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Messages } from '../../src/core/codec';
import { Algorithm, decodeEncryptedRecord } from '../../src/core/crypto/maybeEncrypted';
import { withFile } from '../../src/core/io/fileWindow';
import { parsePem } from '../../src/core/keys/pem';
import { decodeRaftMember, SwarmState } from '../../src/core/state/swarmState';
import { readEntryData } from '../../src/core/wal/segment';
import { integer, sequence } from '../../src/core/writer/der';
import { p256KeyFromSeed, p256Sign } from '../../src/core/writer/p256';
import { p256PrivateKeyInfo } from '../../src/core/writer/pkcs8';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { SwarmStateWriter, type StateSpec } from '../../src/core/writer/stateWriter';
import { cleanupTempDirs, tempDir } from './writer.support';

after(cleanupTempDirs);

const request = (id: number, name: string) =>
  Messages.internalRaftRequest.encode(Messages.internalRaftRequest.create({ id, action: [{ action: 1, secret: { id: `s${id}`, spec: { annotations: { name } } } }] })).finish();
const swarmSnapshot = () =>
  Messages.swarmSnapshot.encode(Messages.swarmSnapshot.create({ membership: { members: [{ raft_id: 7, node_id: 'n7', addr: 'a:1' }] }, store: { secrets: [{ id: 's1' }] } })).finish();

/** Writes a small log: two normal entries and an empty one, a snapshot at 2, one more entry after it. */
function writeState(spec: StateSpec) {
  const w = SwarmStateWriter.create(join(tempDir('state'), 'swarm'), spec);
  w.wal.save({ term: 1n, vote: 1n, commit: 2n }, [{ index: 1n, term: 1n, data: request(1, 'a') }, { index: 2n, term: 1n, data: request(2, 'b') }]);
  w.writeSnapshot({ index: 2n, term: 1n, confStateNodes: [w.identity.raftId], data: swarmSnapshot() });
  w.wal.save({ term: 2n, vote: 1n, commit: 4n }, [{ index: 3n, term: 2n }, { index: 4n, term: 2n, data: request(4, 'c') }]);
  return w.close();
}

function checkRoundTrip(state: SwarmState): void {
  assert.deepEqual(state.faults, []);
  const entries = state.wal.effective.map((e) => state.decodeEntry(e));
  assert.deepEqual(entries.map((d) => d.ok), [true, true, true, true]);
  const plains = entries.map((d) => (d.ok ? Buffer.from(d.plain).toString('hex') : ''));
  assert.deepEqual(plains, [request(1, 'a'), request(2, 'b'), new Uint8Array(0), request(4, 'c')].map((b) => Buffer.from(b).toString('hex')));
  assert.deepEqual([state.wal.hardState?.term, state.wal.hardState?.commit], [2n, 4n]);
  const snap = state.decodeSnapshot(state.newestSnapshot!);
  assert.ok(snap.ok);
  assert.deepEqual(Buffer.from(Messages.swarmSnapshot.encode(snap.snapshot).finish()), Buffer.from(swarmSnapshot()));
  assert.deepEqual(state.entriesAfter().toArray().map((e) => e.index), [3n, 4n]);
}

describe('state directory writer', () => {
  it('unlocked, secretbox: identity from the certificate, exact raft id in the metadata, everything decrypts', () => {
    const r = writeState({ seed: 'unlocked', identity: { clusterId: 'cluster0000000000000000001', nodeId: 'node00000000000000000000a' } });
    const state = SwarmState.open(r.stateDir);
    try {
      assert.deepEqual(state.identity, { clusterId: 'cluster0000000000000000001', role: 'swarm-manager', nodeId: 'node00000000000000000000a' });
      assert.deepEqual(state.keyRing.status, { state: 'open', locked: false });
      assert.equal(state.keyRing.nodeKey?.pemType, 'PRIVATE KEY');
      const member = decodeRaftMember(state.wal.metadata!);
      assert.equal(member.raftId, r.identity.raftId);
      assert.ok(member.raftId > BigInt(Number.MAX_SAFE_INTEGER));
      checkRoundTrip(state);
      assert.equal(r.unlockKey, undefined);
    } finally {
      state.close();
    }
  });

  it('locked: needs the unlock key, tells a wrong one, opens with the right one', () => {
    const r = writeState({ seed: 'locked', lock: true, kekVersion: 12n });
    assert.match(r.unlockKey!, /^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
    const noKey = SwarmState.open(r.stateDir);
    assert.equal(noKey.keyRing.status.state, 'locked');
    assert.deepEqual(noKey.entriesAfter().toArray().map((e) => e.index), [3n, 4n], 'plaintext headers list without a key');
    noKey.close();
    const wrong = SwarmState.open(r.stateDir, { unlockKey: 'SWMKEY-1-' + 'A'.repeat(43) });
    assert.equal(wrong.keyRing.status.state, 'wrong-key');
    wrong.close();
    const state = SwarmState.open(r.stateDir, { unlockKey: r.unlockKey });
    try {
      assert.deepEqual(state.keyRing.status, { state: 'open', locked: true });
      assert.equal(state.keyRing.nodeKey?.pemType, 'ENCRYPTED PRIVATE KEY');
      assert.equal(state.keyRing.nodeKey?.kekVersion, '12');
      checkRoundTrip(state);
    } finally {
      state.close();
    }
  });

  it('Fernet (FIPS mode) records decrypt and are FERNET_AES_128_CBC with no nonce', () => {
    const r = writeState({ seed: 'fernet', algorithm: Algorithm.Fernet });
    const state = SwarmState.open(r.stateDir);
    try {
      checkRoundTrip(state);
      const e = state.wal.effective[0];
      const record = decodeEncryptedRecord(withFile(e.file, (f) => readEntryData(f, e)));
      assert.equal(record.algorithm, Algorithm.Fernet);
      assert.equal(record.nonce.length, 0);
      // Token time = the spec's start time (2026-01-01) plus one second per token.
      const token = Buffer.from(Buffer.from(record.data).toString('latin1'), 'base64url');
      assert.equal(token.readBigUInt64BE(1), BigInt(Date.UTC(2026, 0, 1) / 1000));
    } finally {
      state.close();
    }
  });

  it('records sealed under raft-dek-pending decrypt with the pending key', () => {
    const pending = new SeededRandom('pending').bytes(32);
    const r = writeState({ seed: 'pending-writer', dek: pending, pendingDek: pending });
    const text = readFileSync(join(r.stateDir, 'certificates', 'swarm-node.key'), 'latin1');
    assert.deepEqual([...parsePem(text)!.headers.keys()], ['kek-version', 'raft-dek', 'raft-dek-pending']);
    const state = SwarmState.open(r.stateDir);
    try {
      checkRoundTrip(state);
    } finally {
      state.close();
    }
  });

  it('the plain layout (raft/wal-v3, no wrapper) reads without any key', () => {
    const r = writeState({ seed: 'plain', encrypted: false });
    assert.deepEqual(readdirSync(join(r.stateDir, 'raft')).sort(), ['snap-v3', 'wal-v3']);
    const state = SwarmState.open(r.stateDir);
    try {
      assert.equal(state.layout.encrypted, false);
      checkRoundTrip(state);
    } finally {
      state.close();
    }
  });

  it('is deterministic from the seed (keys, certificates, nonces): same seed, same files', () => {
    const files = (dir: string) => ['certificates/swarm-node.key', 'certificates/swarm-node.crt', 'raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal', 'raft/snap-v3-encrypted/0000000000000001-0000000000000002.snap']
      .map((f) => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex'));
    const a = writeState({ seed: 'same', lock: true });
    const b = writeState({ seed: 'same', lock: true });
    const c = writeState({ seed: 'other', lock: true });
    assert.deepEqual(files(a.stateDir), files(b.stateDir));
    assert.equal(a.unlockKey, b.unlockKey);
    assert.notDeepEqual(files(a.stateDir), files(c.stateDir));
  });
});

describe('node key and certificates', () => {
  it('the locked PKCS#8 body opens with node:crypto using the raw KEK as passphrase (PBES2/PBKDF2-SHA1/AES-256-CBC)', () => {
    const r = writeState({ seed: 'pkcs8', lock: true });
    const text = readFileSync(join(r.stateDir, 'certificates', 'swarm-node.key'), 'latin1');
    const pem = parsePem(text)!;
    // OpenSSL rejects RFC 1421 headers in a PKCS#8 block: hand it the bare body.
    const bare = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${Buffer.from(pem.body).toString('base64')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
    const kek = Buffer.from(r.unlockKey!.slice('SWMKEY-1-'.length), 'base64');
    const key = createPrivateKey({ key: bare, format: 'pem', passphrase: kek });
    assert.deepEqual(key.asymmetricKeyDetails, { namedCurve: 'prime256v1' });
    assert.throws(() => createPrivateKey({ key: bare, format: 'pem', passphrase: Buffer.alloc(32) }));
    const cert = new X509Certificate(readFileSync(join(r.stateDir, 'certificates', 'swarm-node.crt')));
    assert.ok(cert.checkPrivateKey(key), 'the certificate is for this key');
  });

  it('the node certificate names the cluster, role and node, and verifies against the written root CA', () => {
    const r = writeState({ seed: 'cert' });
    const certs = join(r.stateDir, 'certificates');
    const cert = new X509Certificate(readFileSync(join(certs, 'swarm-node.crt')));
    const ca = new X509Certificate(readFileSync(join(certs, 'swarm-root-ca.crt')));
    assert.equal(cert.subject, `O=${r.identity.clusterId}\nOU=swarm-manager\nCN=${r.identity.nodeId}`);
    assert.equal(cert.issuer, 'CN=swarm-ca');
    assert.ok(cert.verify(ca.publicKey));
    assert.ok(ca.verify(ca.publicKey));
    assert.ok(ca.ca && !cert.ca);
    assert.equal(cert.subjectAltName, `DNS:swarm-manager, DNS:${r.identity.nodeId}, DNS:swarm-ca`);
    const unlocked = createPrivateKey({ key: readFileSync(join(certs, 'swarm-node.key'), 'latin1').replace(/^[a-z-]+: .*\n\n?/gm, ''), format: 'pem' });
    assert.ok(cert.checkPrivateKey(unlocked));
  });

  it('P-256: the derived public key matches node:crypto, and signatures verify', () => {
    const key = p256KeyFromSeed(new SeededRandom('p256').bytes(32));
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(key.privateKey);
    assert.deepEqual(ecdh.getPublicKey(), key.publicKey);
    const publicKey = createPublicKey(createPrivateKey({ key: p256PrivateKeyInfo(key), format: 'der', type: 'pkcs8' }));
    const message = Buffer.from('to be signed');
    const { r, s } = p256Sign(key.privateKey, message);
    assert.ok(verify('sha256', message, publicKey, sequence(integer(r), integer(s))));
    assert.deepEqual(p256Sign(key.privateKey, message), { r, s }, 'RFC 6979: deterministic');
  });
});
