// ssh:// engines as the docker CLI reaches them through the system's ssh: the agent (SSH_AUTH_SOCK) or the
// default identity files, and the server's host key checked against ~/.ssh/known_hosts (an unknown or
// changed key is refused, never accepted silently).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectConfig } from 'ssh2';
import { EndpointError } from './endpoint';

const IDENTITY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function sshAuthOptions(host: string, port: number, env: NodeJS.ProcessEnv, home = env.HOME || homedir()): ConnectConfig {
  const sshDir = join(home, '.ssh');
  const known = knownHostKeys(readText(join(sshDir, 'known_hosts')) ?? '', host, port);
  const name = port === 22 ? host : `[${host}]:${port}`;
  if (known.length === 0) {
    throw new EndpointError(`${name} is not in ${join(sshDir, 'known_hosts')}: connect once with \`ssh -p ${port} ${host}\` (or add its key with ssh-keyscan) so its host key is known`);
  }
  const options: ConnectConfig = {
    hostVerifier: (key: Buffer) => known.some((k) => k.equals(key)),
    readyTimeout: 20_000,
  };
  if (env.SSH_AUTH_SOCK) options.agent = env.SSH_AUTH_SOCK;
  for (const file of IDENTITY_FILES) {
    const key = readText(join(sshDir, file));
    if (key !== undefined) {
      options.privateKey = key;
      break;
    }
  }
  if (!options.agent && !options.privateKey) {
    throw new EndpointError(`no ssh agent (SSH_AUTH_SOCK) and no identity file (${IDENTITY_FILES.map((f) => join(sshDir, f)).join(', ')}) to log in to ${name}`);
  }
  return options;
}

/** The host keys (wire format) known_hosts lists for host:port, plain or hashed (|1|salt|hash) entries. */
export function knownHostKeys(text: string, host: string, port: number): Buffer[] {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const keys: Buffer[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    if (fields[0].startsWith('@')) continue; // @cert-authority / @revoked: not for a plain host key
    if (fields.length < 3) continue;
    const [hosts, , key] = fields;
    if (hostsMatch(hosts, name)) keys.push(Buffer.from(key, 'base64'));
  }
  return keys;
}

function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return hosts.split(',').some((h) => h === name);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
