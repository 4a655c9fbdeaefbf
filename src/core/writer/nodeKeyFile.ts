// certificates/swarm-node.key as SwarmKit writes it: the node's private key in PEM with the raft data keys
// in headers (sorted by name, as Go's pem.Encode writes them). Unlocked: PRIVATE KEY, each DEK in a NONE
// record. Locked: ENCRYPTED PRIVATE KEY (PKCS#8 sealed with the KEK as password), each DEK sealed with the KEK.
import { Algorithm } from '../crypto/maybeEncrypted';
import { encryptPrivateKeyInfo } from './pkcs8';
import { sealerFor, steppingClock, type FernetClock } from './sealer';
import type { SeededRandom } from './seededRandom';

export interface NodeKeyFileInput {
  /** PKCS#8 PrivateKeyInfo DER of the node key. */
  privateKeyInfo: Uint8Array;
  dek: Uint8Array;
  pendingDek?: Uint8Array;
  needsRotation?: boolean;
  /** When given, the swarm is autolocked: the DEKs and the private key are sealed with it. */
  kek?: Uint8Array;
  /** SwarmKit bumps it on every KEK change; 0 for a swarm never locked. */
  kekVersion?: bigint;
  /** How the DEKs are sealed with the KEK: secretbox (default) or Fernet (FIPS mode). */
  kekAlgorithm?: Algorithm.Secretbox | Algorithm.Fernet;
  random: SeededRandom;
  clock?: FernetClock;
}

export function nodeKeyPem(input: NodeKeyFileInput): string {
  const kek = input.kek;
  const sealer = kek
    ? sealerFor(input.kekAlgorithm ?? Algorithm.Secretbox, kek, input.random, input.clock ?? steppingClock(0n))
    : sealerFor(Algorithm.None, new Uint8Array(32), input.random);
  const headers = new Map<string, string>();
  headers.set('kek-version', String(input.kekVersion ?? 0n));
  headers.set('raft-dek', Buffer.from(sealer.seal(input.dek)).toString('base64'));
  if (input.needsRotation) headers.set('raft-dek-needs-rotation', 'true');
  if (input.pendingDek) headers.set('raft-dek-pending', Buffer.from(sealer.seal(input.pendingDek)).toString('base64'));
  const body = kek ? encryptPrivateKeyInfo(input.privateKeyInfo, kek, input.random) : Buffer.from(input.privateKeyInfo);
  return pemEncode(kek ? 'ENCRYPTED PRIVATE KEY' : 'PRIVATE KEY', headers, body);
}

/** Go's pem.Encode: headers sorted by name, a blank line, the body in 64-character lines. */
export function pemEncode(type: string, headers: Map<string, string>, body: Uint8Array): string {
  const lines = [`-----BEGIN ${type}-----`];
  const names = [...headers.keys()].sort();
  for (const name of names) lines.push(`${name}: ${headers.get(name)}`);
  if (names.length) lines.push('');
  lines.push(...(Buffer.from(body).toString('base64').match(/.{1,64}/g) ?? []));
  lines.push(`-----END ${type}-----`, '');
  return lines.join('\n');
}
