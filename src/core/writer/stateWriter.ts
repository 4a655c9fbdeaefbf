// Writes a complete manager state directory: certificates (node key with the raft data keys, node and
// root CA certificates) and raft/ (WAL segments and snapshots) encrypted as SwarmKit does, all derived
// from a seed. The directory must be new or empty; nothing is written anywhere else.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Messages } from '../codec';
import { Algorithm } from '../crypto/maybeEncrypted';
import { formatUnlockKey } from '../keys/unlockKey';
import { issueCertificate, certificatePem } from './certificate';
import { nodeKeyPem } from './nodeKeyFile';
import { prepareEmptyDir } from './outputDir';
import { p256KeyFromSeed } from './p256';
import { p256PrivateKeyInfo } from './pkcs8';
import { u64 } from './rawEncode';
import { plainSealer, sealerFor, steppingClock, type DataSealer } from './sealer';
import { SeededRandom } from './seededRandom';
import { writeSnapshotFile, type SnapshotInput } from './snapshotWriter';
import { WalWriter, type WalWriteResult } from './walWriter';

export interface NodeIdentitySpec {
  clusterId: string;
  nodeId: string;
  raftId: bigint;
  addr: string;
}

export interface StateSpec {
  seed: string;
  identity?: Partial<NodeIdentitySpec>;
  /** false = the plain raft/wal-v3 layout with no encryption wrapper; default true. */
  encrypted?: boolean;
  /** Entry and snapshot encryption; default secretbox (Fernet = SwarmKit's FIPS mode). */
  algorithm?: Algorithm.Secretbox | Algorithm.Fernet;
  /** The raft data key; default derived from the seed. */
  dek?: Uint8Array;
  pendingDek?: Uint8Array;
  /** Autolock: seal the node key with this KEK (true = one derived from the seed). */
  lock?: boolean | Uint8Array;
  kekVersion?: bigint;
  segmentBytes?: number;
  preallocate?: boolean;
  /** Certificate validity start and Fernet token time; default 2026-01-01T00:00:00Z. */
  startTime?: Date;
  /** Seconds added to the Fernet time per token; default 1. */
  fernetStepSeconds?: bigint;
}

export interface StateWriteResult {
  stateDir: string;
  walDir: string;
  snapDir: string;
  identity: NodeIdentitySpec;
  dek: Uint8Array;
  /** SWMKEY-1-... when locked. */
  unlockKey?: string;
  wal: WalWriteResult;
  snapshots: string[];
}

const DEFAULT_START = new Date(Date.UTC(2026, 0, 1));

export class SwarmStateWriter {
  readonly wal: WalWriter;
  readonly identity: NodeIdentitySpec;
  readonly dek: Uint8Array;
  /** Seals entry and snapshot payloads (plainSealer for the plain layout). */
  readonly sealer: DataSealer;
  private readonly snapshots: string[] = [];
  private readonly unlockKey?: string;

  private constructor(readonly stateDir: string, readonly walDir: string, readonly snapDir: string, spec: StateSpec) {
    const random = new SeededRandom(spec.seed);
    const ids = random.fork('identity');
    this.identity = {
      clusterId: spec.identity?.clusterId ?? ids.id(),
      nodeId: spec.identity?.nodeId ?? ids.id(),
      // Raft ids are random uint64s, usually above 2^53: keep them exact.
      raftId: spec.identity?.raftId ?? ids.uint64() | (1n << 60n),
      addr: spec.identity?.addr ?? '10.0.0.1:2377',
    };
    const keys = random.fork('keys');
    this.dek = spec.dek ?? keys.bytes(32);
    const kek = spec.lock === true ? keys.bytes(32) : spec.lock || undefined;
    if (kek) this.unlockKey = formatUnlockKey(kek);
    const start = spec.startTime ?? DEFAULT_START;
    const clock = steppingClock(BigInt(Math.floor(start.getTime() / 1000)), spec.fernetStepSeconds ?? 1n);
    this.sealer = spec.encrypted === false ? plainSealer : sealerFor(spec.algorithm ?? Algorithm.Secretbox, this.dek, random.fork('payload'), clock);
    writeCertificates(join(stateDir, 'certificates'), this.identity, random.fork('certificates'), start, {
      dek: this.dek, pendingDek: spec.pendingDek, kek, kekVersion: spec.kekVersion ?? (kek ? 1n : 0n),
    });
    mkdirSync(snapDir, { recursive: true, mode: 0o700 });
    this.wal = WalWriter.create(walDir, {
      metadata: encodeRaftMember(this.identity), sealer: this.sealer,
      segmentBytes: spec.segmentBytes, preallocate: spec.preallocate,
    });
  }

  static create(outDir: string, spec: StateSpec): SwarmStateWriter {
    const stateDir = prepareEmptyDir(outDir);
    const [wal, snap] = spec.encrypted === false ? ['wal-v3', 'snap-v3'] : ['wal-v3-encrypted', 'snap-v3-encrypted'];
    return new SwarmStateWriter(stateDir, join(stateDir, 'raft', wal), join(stateDir, 'raft', snap), spec);
  }

  /** Writes the snap file (payload sealed) and marks it in the WAL, as SwarmKit's SaveSnapshot does. */
  writeSnapshot(snapshot: SnapshotInput): string {
    this.wal.saveSnapshot({ index: snapshot.index, term: snapshot.term });
    const path = writeSnapshotFile(this.snapDir, snapshot, this.sealer);
    this.snapshots.push(path);
    return path;
  }

  close(): StateWriteResult {
    return {
      stateDir: this.stateDir, walDir: this.walDir, snapDir: this.snapDir, identity: this.identity,
      dek: this.dek, unlockKey: this.unlockKey, wal: this.wal.close(), snapshots: [...this.snapshots],
    };
  }
}

/** A RaftMember as SwarmKit marshals it for WAL metadata and conf-change contexts (status always present). */
export function encodeRaftMember(m: { raftId: bigint; nodeId: string; addr: string }): Uint8Array {
  return Messages.raftMember.encode(Messages.raftMember.create({ raft_id: u64(m.raftId), node_id: m.nodeId, addr: m.addr, status: {} })).finish();
}

function writeCertificates(
  dir: string, id: NodeIdentitySpec, random: SeededRandom, start: Date,
  keys: { dek: Uint8Array; pendingDek?: Uint8Array; kek?: Uint8Array; kekVersion: bigint },
): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = p256KeyFromSeed(random.bytes(32));
  const nodeKey = p256KeyFromSeed(random.bytes(32));
  const notAfter = new Date(start.getTime() + 90 * 24 * 3600 * 1000);
  const caName = { CN: 'swarm-ca' };
  const serial = () => BigInt('0x' + random.hex(19)) | 1n;
  const caCert = issueCertificate({
    subject: caName, subjectKey: caKey, issuer: caName, issuerKey: caKey, serial: serial(),
    notBefore: start, notAfter: new Date(start.getTime() + 20 * 365 * 24 * 3600 * 1000), isCA: true,
  });
  const nodeCert = issueCertificate({
    subject: { O: id.clusterId, OU: 'swarm-manager', CN: id.nodeId }, subjectKey: nodeKey,
    issuer: caName, issuerKey: caKey, serial: serial(), notBefore: start, notAfter, isCA: false,
    dnsNames: ['swarm-manager', id.nodeId, 'swarm-ca'],
  });
  writeFileSync(join(dir, 'swarm-root-ca.crt'), certificatePem(caCert), { mode: 0o644, flag: 'wx' });
  writeFileSync(join(dir, 'swarm-node.crt'), certificatePem(nodeCert), { mode: 0o644, flag: 'wx' });
  const pem = nodeKeyPem({
    privateKeyInfo: p256PrivateKeyInfo(nodeKey), dek: keys.dek, pendingDek: keys.pendingDek,
    kek: keys.kek, kekVersion: keys.kekVersion, random,
  });
  writeFileSync(join(dir, 'swarm-node.key'), pem, { mode: 0o600, flag: 'wx' });
}
