// Which Docker engine to talk to, decided as the docker CLI decides it: an explicit host or context, then
// DOCKER_HOST, DOCKER_CONTEXT, the config's currentContext, and the local socket. Contexts are read from
// the CLI's own store (<config>/contexts/meta/<sha256(name)>/meta.json, TLS files under contexts/tls/).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

/** TLS material for a tcp:// engine (PEM bytes); `verify` false = encrypted but the server is not checked. */
export interface EndpointTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  verify: boolean;
  /** Where the files came from (a directory), for messages and the manifest. */
  from: string;
}

export interface EngineEndpoint {
  /** unix:///path, tcp://host:port, ssh://[user@]host[:port] (npipe is Windows-only and refused). */
  host: string;
  tls?: EndpointTls;
  /** How it was chosen: "--docker-host", "context NAME", "DOCKER_HOST", "default socket", ... */
  source: string;
}

export interface EndpointRequest {
  dockerHost?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  /** The home directory (default os.homedir()); the config dir is DOCKER_CONFIG or <home>/.docker. */
  home?: string;
}

export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

export function resolveEndpoint(request: EndpointRequest = {}): EngineEndpoint {
  const env = request.env ?? process.env;
  const configDir = dockerConfigDir(env, request.home ?? homedir());
  if (request.dockerHost && request.context) throw new EndpointError('give either a Docker host or a context, not both');
  if (request.dockerHost) return fromHost(request.dockerHost, '--docker-host', env, configDir);
  if (request.context) return fromContext(request.context, configDir, env, '--context');
  if (env.DOCKER_HOST) return fromHost(env.DOCKER_HOST, 'DOCKER_HOST', env, configDir);
  if (env.DOCKER_CONTEXT) return fromContext(env.DOCKER_CONTEXT, configDir, env, 'DOCKER_CONTEXT');
  const current = currentContext(configDir);
  if (current) return fromContext(current, configDir, env, `currentContext in ${join(configDir, 'config.json')}`);
  return { host: DEFAULT_SOCKET, source: 'default socket' };
}

/** The docker CLI's config directory: DOCKER_CONFIG or <home>/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return env.DOCKER_CONFIG || join(home, '.docker');
}

/** Context names with their hosts as `docker context ls` lists them ("default" first), for a picker. */
export function listContexts(configDir: string): { name: string; host: string }[] {
  const found: { name: string; host: string }[] = [];
  let keys: string[] = [];
  try {
    keys = readdirSync(join(contextDirectory(configDir), 'meta'));
  } catch {
    // no contexts created: only "default"
  }
  for (const key of keys) {
    try {
      const meta = JSON.parse(readFileSync(join(contextDirectory(configDir), 'meta', key, 'meta.json'), 'utf8')) as ContextMeta;
      if (meta.Name && meta.Endpoints?.docker?.Host) found.push({ name: meta.Name, host: meta.Endpoints.docker.Host });
    } catch {
      // a context the CLI could not use either
    }
  }
  found.sort((a, b) => a.name.localeCompare(b.name));
  return [{ name: 'default', host: DEFAULT_SOCKET }, ...found];
}

function contextDirectory(configDir: string): string {
  return join(configDir, 'contexts');
}

/** The directory name the CLI stores a context under: the SHA-256 of its name, in hex. */
export function contextKey(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function fromHost(host: string, source: string, env: NodeJS.ProcessEnv, configDir: string): EngineEndpoint {
  const url = normalizeHost(host, source);
  if (!url.startsWith('tcp://')) return { host: url, source };
  // As the docker CLI's -H / DOCKER_HOST: TLS from DOCKER_TLS_VERIFY / DOCKER_TLS and DOCKER_CERT_PATH.
  const verify = (env.DOCKER_TLS_VERIFY ?? '') !== '';
  if (!verify && (env.DOCKER_TLS ?? '') === '') return { host: url, source };
  const certDir = env.DOCKER_CERT_PATH || configDir;
  return { host: url, source, tls: readTlsDir(certDir, verify, !verify) };
}

function fromContext(name: string, configDir: string, env: NodeJS.ProcessEnv, source: string): EngineEndpoint {
  if (name === 'default') {
    return env.DOCKER_HOST ? fromHost(env.DOCKER_HOST, 'context default (DOCKER_HOST)', env, configDir) : { host: DEFAULT_SOCKET, source: 'context default' };
  }
  const key = contextKey(name);
  const metaFile = join(contextDirectory(configDir), 'meta', key, 'meta.json');
  let meta: ContextMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as ContextMeta;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such context' : `its meta.json does not read (${(e as Error).message})`;
    throw new EndpointError(`docker context "${name}" (from ${source}): ${why} (${metaFile}); see \`docker context ls\``);
  }
  const docker = meta.Endpoints?.docker;
  if (!docker?.Host) throw new EndpointError(`docker context "${name}" has no docker endpoint (${metaFile})`);
  const host = normalizeHost(docker.Host, `context ${name}`);
  const endpoint: EngineEndpoint = { host, source: source === '--context' ? `context ${name}` : `context ${name} (${source})` };
  const tlsDir = join(contextDirectory(configDir), 'tls', key, 'docker');
  if (host.startsWith('tcp://') && existsSync(tlsDir)) endpoint.tls = readTlsDir(tlsDir, !docker.SkipTLSVerify, true);
  else if (host.startsWith('tcp://') && docker.SkipTLSVerify) endpoint.tls = { verify: false, from: tlsDir };
  return endpoint;
}

interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

function currentContext(configDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(configDir, 'config.json'), 'utf8');
  } catch {
    return undefined; // no config: the default socket, as the CLI does
  }
  try {
    const name = (JSON.parse(text) as { currentContext?: unknown }).currentContext;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch (e) {
    throw new EndpointError(`${join(configDir, 'config.json')} is not valid JSON (${(e as Error).message})`);
  }
}

/** ca.pem, cert.pem, key.pem from `dir`; missing ones are left out (`optional`) or refused. */
function readTlsDir(dir: string, verify: boolean, optional: boolean): EndpointTls {
  const read = (name: string): Buffer | undefined => {
    try {
      return readFileSync(join(dir, name));
    } catch (e) {
      if (optional && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new EndpointError(`cannot read ${join(dir, name)} for TLS (${(e as Error).message}); set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem`);
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), verify, from: dir };
}

/** The host as a URL with a scheme; a bare host:port is tcp, as the docker CLI takes it. */
function normalizeHost(host: string, source: string): string {
  const h = host.trim();
  if (h.startsWith('npipe://')) throw new EndpointError(`${source}: ${h} is a Windows named pipe; capture needs a Linux engine`);
  if (/^(unix|tcp|ssh):\/\//.test(h)) {
    if (h.startsWith('unix://') && h.length === 'unix://'.length) return DEFAULT_SOCKET;
    return h;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(h)) throw new EndpointError(`${source}: unsupported Docker host ${h} (use unix://, tcp:// or ssh://)`);
  return `tcp://${h}`;
}

/** The host without a password or anything else worth hiding, for messages and the manifest. */
export function displayHost(endpoint: EngineEndpoint): string {
  return endpoint.host.replace(/^(ssh:\/\/[^:@/]*):[^@/]*@/, '$1@');
}
