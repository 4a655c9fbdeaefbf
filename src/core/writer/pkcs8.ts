// PKCS#8 for the node's P-256 key, laid out as Go's x509.MarshalPKCS8PrivateKey does (curve in the
// algorithm identifier, not repeated in the inner ECPrivateKey), and its encrypted form as SwarmKit
// writes it for a locked swarm: PBES2 with PBKDF2-HMAC-SHA1 (2048 rounds, 8-byte salt) and AES-256-CBC,
// the password being the raw KEK. Salt and IV come from the seeded stream.
import { createCipheriv, pbkdf2Sync } from 'node:crypto';
import { bitString, explicit, integer, octetString, oid, OID, sequence } from './der';
import type { P256Key } from './p256';
import type { SeededRandom } from './seededRandom';

export const PBKDF2_ROUNDS = 2048;

export function p256PrivateKeyInfo(key: P256Key): Buffer {
  const ecPrivateKey = sequence(integer(1), octetString(key.privateKey), explicit(1, bitString(key.publicKey)));
  return sequence(integer(0), sequence(oid(OID.ecPublicKey), oid(OID.prime256v1)), octetString(ecPrivateKey));
}

export function p256SubjectPublicKeyInfo(key: P256Key): Buffer {
  return sequence(sequence(oid(OID.ecPublicKey), oid(OID.prime256v1)), bitString(key.publicKey));
}

/** EncryptedPrivateKeyInfo of `privateKeyInfo` under `password`. */
export function encryptPrivateKeyInfo(privateKeyInfo: Uint8Array, password: Uint8Array, random: SeededRandom): Buffer {
  const salt = random.bytes(8);
  const iv = random.bytes(16);
  const key = pbkdf2Sync(password, salt, PBKDF2_ROUNDS, 32, 'sha1');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(privateKeyInfo), cipher.final()]);
  const algorithm = sequence(
    oid(OID.pbes2),
    sequence(
      sequence(oid(OID.pbkdf2), sequence(octetString(salt), integer(PBKDF2_ROUNDS))),
      sequence(oid(OID.aes256Cbc), octetString(iv)),
    ),
  );
  return sequence(algorithm, octetString(encrypted));
}
