// Unlock keys and node keys on real files: format errors and wrong keys are different errors, an
// unlocked swarm needs no key, and a mid-rotation key file yields both raft-dek and raft-dek-pending.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InvalidUnlockKeyError, LockedError, WrongUnlockKeyError } from '../../src/core/errors';
import { buildKeyRing } from '../../src/core/keys/keyRing';
import { openDataKeys, readNodeKeyFile } from '../../src/core/keys/nodeKey';
import { parsePem } from '../../src/core/keys/pem';
import { formatUnlockKey, parseUnlockKey, unlockKeyProblem } from '../../src/core/keys/unlockKey';
import { corpusCase } from '../support/fixtures';

const seed = corpusCase('seed-sample');
const rotated = corpusCase('rotated');
const seedKey = JSON.parse(readFileSync(join(seed, 'manifest.json'), 'utf8')).unlock_key as string;
const rotatedKeys = JSON.parse(readFileSync(join(rotated, 'manifest.json'), 'utf8')).unlock_keys as { current: string; distinct: string[] };

describe('unlock key format', () => {
  it('round-trips a real key to its 32-byte KEK', () => {
    const kek = parseUnlockKey(seedKey);
    assert.equal(kek.length, 32);
    assert.equal(formatUnlockKey(kek), seedKey);
    assert.equal(unlockKeyProblem(`  ${seedKey}\n`), undefined, 'surrounding white space is tolerated');
  });
  it('names what is wrong', () => {
    assert.match(unlockKeyProblem('SWMTKN-1-abc')!, /must start with SWMKEY-1-/);
    assert.match(unlockKeyProblem(seedKey.slice(0, -1))!, /expected 43 characters/);
    assert.match(unlockKeyProblem(seedKey.slice(0, -2) + '*A')!, /base64/);
    assert.match(unlockKeyProblem(seedKey.slice(0, -1) + 'B')!, /last character/);
    assert.throws(() => parseUnlockKey('nope'), InvalidUnlockKeyError);
  });
});

describe('PEM headers', () => {
  it('reads the DEK headers of a real node key', () => {
    const pem = parsePem(readFileSync(join(seed, 'swarm/certificates/swarm-node.key'), 'latin1'))!;
    assert.equal(pem.type, 'ENCRYPTED PRIVATE KEY');
    assert.equal(pem.headers.get('kek-version') !== undefined, true);
    assert.ok(pem.headers.get('raft-dek')!.length > 40);
    assert.ok(pem.body.length > 100);
  });
});

describe('node key', () => {
  it('an autolocked key needs the unlock key; a wrong one is told apart from a malformed one', () => {
    const info = readNodeKeyFile(join(seed, 'swarm/certificates/swarm-node.key'));
    assert.equal(info.locked, true);
    assert.throws(() => openDataKeys(info), LockedError);
    const other = rotatedKeys.distinct.find((k) => k !== seedKey)!;
    assert.throws(() => openDataKeys(info, parseUnlockKey(other)), WrongUnlockKeyError);
    const keys = openDataKeys(info, parseUnlockKey(seedKey));
    assert.deepEqual(keys.map((k) => [k.label, k.key.length]), [['raft-dek', 32]]);
  });
  it('an unlocked key opens with no unlock key', () => {
    const info = readNodeKeyFile(join(corpusCase('synth-unlocked'), 'swarm/certificates/swarm-node.key'));
    assert.equal(info.locked, false);
    assert.equal(openDataKeys(info)[0].key.length, 32);
  });
  it('a key file written mid-rotation yields raft-dek and raft-dek-pending', () => {
    const file = readdirSync(join(rotated, 'key-history')).map((f) => join(rotated, 'key-history', f))
      .find((f) => readFileSync(f, 'latin1').includes('raft-dek-pending'))!;
    // The first unlock key sealed it (the key history is in time order).
    const first = rotatedKeys.distinct.find((k) => { try { openDataKeys(readNodeKeyFile(file), parseUnlockKey(k)); return true; } catch { return false; } });
    assert.ok(first, 'one of the historical unlock keys opens the mid-rotation file');
    const keys = openDataKeys(readNodeKeyFile(file), parseUnlockKey(first!));
    assert.deepEqual(keys.map((k) => k.label), ['raft-dek', 'raft-dek-pending']);
    assert.notDeepEqual(Buffer.from(keys[0].key), Buffer.from(keys[1].key));
  });
  it('the key ring reports problems instead of throwing', () => {
    const nodeKeyFile = join(seed, 'swarm/certificates/swarm-node.key');
    assert.equal(buildKeyRing({ nodeKeyFile }).status.state, 'locked');
    assert.equal(buildKeyRing({ nodeKeyFile, unlockKey: 'SWMKEY-1-short' }).status.state, 'invalid-key');
    assert.equal(buildKeyRing({ nodeKeyFile, unlockKey: rotatedKeys.current }).status.state, 'wrong-key');
    assert.equal(buildKeyRing({ nodeKeyFile: join(seed, 'missing.key') }).status.state, 'no-key-file');
    assert.equal(buildKeyRing({ nodeKeyFile, unlockKey: seedKey }).status.state, 'open');
  });
});
