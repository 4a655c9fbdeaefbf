// Key layers: the node key's PEM (headers carrying the data keys, the block structure) and the key
// options a user types or points at (unlock key strings, --node-key, --key-file).
import { Algorithm, encodeEncryptedRecord } from '../../../src/core/crypto/maybeEncrypted';
import { mutateBytes } from '../protoMutate';
import { bufferOf, nodeKeyOf, type Layer, type MutationContext } from './context';

const HEADERS = ['raft-dek', 'raft-dek-pending', 'kek-version', 'raft-dek-needs-rotation'];

function dekRecord(ctx: MutationContext): string {
  const { rng } = ctx;
  const algorithm = rng.pick([Algorithm.None, Algorithm.Secretbox, Algorithm.Fernet, 7, -1]);
  const data = rng.bytes(rng.pick([0, 16, 31, 32, 33, 72, 1000]));
  const nonce = rng.bytes(rng.pick([0, 24, 23]));
  return Buffer.from(encodeEncryptedRecord({ algorithm, data, nonce })).toString('base64');
}

function headerValue(ctx: MutationContext, current: string): string {
  const { rng } = ctx;
  switch (rng.int(8)) {
    case 0: return '';
    case 1: return current.slice(0, rng.int(current.length + 1));
    case 2: return current.replace(/[A-Za-z]/, '*');
    case 3: return rng.bytes(rng.size(200)).toString('base64');
    case 4: return dekRecord(ctx);
    case 5: return 'A'.repeat(rng.chance(0.5) ? 1_000_000 : 4099);
    case 6: return current + '=' + current;
    default: return mutateBytes(rng, Buffer.from(current, 'base64')).bytes.toString('base64');
  }
}

/** The PEM text of the node key with one header or structural element changed. */
function pemText(ctx: MutationContext): string | undefined {
  const rel = nodeKeyOf(ctx);
  const bytes = bufferOf(ctx, rel);
  if (!bytes) return undefined;
  const { rng } = ctx;
  const lines = bytes.toString('latin1').split('\n');
  const headerLines = lines.map((l, i) => i).filter((i) => /^[a-z-]+: /.test(lines[i]));
  let note: string;
  switch (rng.int(9)) {
    case 0: {
      if (!headerLines.length) return undefined;
      const i = rng.pick(headerLines);
      const [name, value] = [lines[i].slice(0, lines[i].indexOf(':')), lines[i].slice(lines[i].indexOf(':') + 2)];
      lines[i] = `${name}: ${headerValue(ctx, value)}`;
      note = `header ${name} value changed`;
      break;
    }
    case 1: {
      if (!headerLines.length) return undefined;
      const i = rng.pick(headerLines);
      note = `header line ${lines[i].slice(0, 20)} removed`;
      lines.splice(i, 1);
      break;
    }
    case 2: {
      const name = rng.pick(HEADERS);
      lines.splice(1, 0, `${name}: ${rng.chance(0.5) ? dekRecord(ctx) : headerValue(ctx, 'CAESMDR2EzmRf5WSTtrcTSXwkq')}`);
      note = `header ${name} added`;
      break;
    }
    case 3: lines.splice(lines.findIndex((l) => l.startsWith('-----END')), 1); note = 'END line removed'; break;
    case 4: lines[0] = rng.pick(['-----BEGIN ENCRYPTED PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----', '-----BEGIN CERTIFICATE-----', '-----BEGIN -----', 'BEGIN']); note = `BEGIN line: ${lines[0]}`; break;
    case 5: return set(ctx, rel, Buffer.from(lines.join('\r\n'), 'latin1'), 'CRLF line ends');
    case 6: lines.splice(lines.findIndex((l) => l === ''), 1); note = 'blank line after the headers removed'; break;
    case 7: return set(ctx, rel, Buffer.concat([bytes, bytes]), 'two PEM blocks');
    default: return set(ctx, rel, mutateBytes(rng, bytes).bytes, 'bytes mutated');
  }
  return set(ctx, rel, Buffer.from(lines.join('\n'), 'latin1'), note);
}

function set(ctx: MutationContext, rel: string, bytes: Buffer, note: string): string {
  ctx.input.files.set(rel, bytes);
  return `swarm-node.key: ${note}`;
}

/** Unlock key strings: near misses of the right key, other swarms' keys, malformed and absurd ones. */
function unlockKey(ctx: MutationContext): string {
  const { rng, base, bases } = ctx;
  const right = base.unlockKey ?? bases.find((b) => b.unlockKey)?.unlockKey ?? 'SWMKEY-1-' + 'A'.repeat(43);
  const body = right.slice('SWMKEY-1-'.length);
  const at = rng.int(body.length);
  const choices: [string, string][] = [
    ['one character changed', `SWMKEY-1-${body.slice(0, at)}${body[at] === 'A' ? 'B' : 'A'}${body.slice(at + 1)}`],
    ['case flipped', right.toLowerCase()],
    ['one character short', right.slice(0, -1)],
    ['one character long', right + 'A'],
    ['padded', right + '='],
    ['white space inside', `SWMKEY-1- ${body}`],
    ['surrounded by new lines', `\n\n${right}\r\n`],
    ['url-safe alphabet', right.replace(/\+/g, '-').replace(/\//g, '_')],
    ['prefix only', 'SWMKEY-1-'],
    ['empty', ''],
    ['NUL bytes', `SWMKEY-1-${'\0'.repeat(43)}`],
    ['non-ASCII', `SWMKEY-1-${'é'.repeat(43)}`],
    ['a megabyte', `SWMKEY-1-${'A'.repeat(1 << 20)}`],
    ['another swarm', rng.pick(bases.map((b) => b.unlockKey).filter((k): k is string => !!k))],
    ['a join token', 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx'],
  ];
  const [note, key] = rng.pick(choices);
  ctx.input.options.unlockKey = key;
  return `unlock key: ${note}`;
}

/** --node-key and --key-file pointing at the wrong things. */
function keyOptions(ctx: MutationContext): string | undefined {
  const { rng, base } = ctx;
  const targets = ['swarm/certificates/swarm-node.crt', 'swarm/certificates', 'missing.key', base.walDir, ...base.keyFiles, ...(base.otherNodeKey ? [base.otherNodeKey] : [])];
  const target = rng.pick(targets);
  if (rng.chance(0.5)) {
    ctx.input.options.nodeKeyFile = target;
    return `--node-key ${target}`;
  }
  ctx.input.options.keyFiles = [...(ctx.input.options.keyFiles ?? []), target];
  return `--key-file ${target}`;
}

/** No unlock key at all (a locked swarm stays locked). */
function noUnlockKey(ctx: MutationContext): string | undefined {
  if (!ctx.input.options.unlockKey) return undefined;
  delete ctx.input.options.unlockKey;
  return 'no unlock key';
}

export const PEM: Layer = { name: 'pem', mutators: [pemText] };
export const UNLOCK: Layer = { name: 'unlock', mutators: [unlockKey, unlockKey, keyOptions, noUnlockKey] };
