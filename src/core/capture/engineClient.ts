// The few Docker Engine API calls capture makes, through docker-modem (which speaks unix sockets, tcp,
// tcp+TLS and ssh:// via `docker system dial-stdio`). Paths carry no API version: the engine answers in
// its own, and every field read here has been in the API since long before 1.41 (Docker 20.10).
import { Agent as HttpsAgent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type Modem from 'docker-modem';
import type { ConnectConfig } from 'ssh2';
import { displayHost, EndpointError, type EngineEndpoint } from './endpoint';
import { sshAuthOptions } from './sshAuth';

export interface EngineVersion {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
  Arch?: string;
}

export interface EngineInfo {
  ID?: string;
  Name?: string;
  OSType?: string;
  DockerRootDir?: string;
  Swarm?: {
    NodeID?: string;
    NodeAddr?: string;
    LocalNodeState?: string;
    ControlAvailable?: boolean;
    Error?: string;
    Cluster?: { ID?: string; Spec?: { EncryptionConfig?: { AutoLockManagers?: boolean } } };
  };
}

export interface ImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  Size?: number;
}

/** An API call that failed: the engine's status code and message. */
export class EngineError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'EngineError';
  }
}

export class EngineClient {
  private readonly modem: Modem;

  constructor(readonly endpoint: EngineEndpoint, env: NodeJS.ProcessEnv = process.env) {
    // Required here, not imported: docker-modem is bundled apart (scripts/build.mjs) and loaded when used.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const DockerModem = require('docker-modem') as typeof Modem;
    this.modem = new DockerModem(modemOptions(endpoint, env));
  }

  version(): Promise<EngineVersion> {
    return this.call<EngineVersion>('GET', '/version');
  }

  info(): Promise<EngineInfo> {
    return this.call<EngineInfo>('GET', '/info');
  }

  listImages(): Promise<ImageSummary[]> {
    return this.call<ImageSummary[]>('GET', '/images/json');
  }

  /** Imports `tar` as an image named repo:tag; returns its id. */
  async importImage(tar: Buffer, repo: string, tag: string): Promise<string> {
    const text = await this.call<Buffer | { status?: string }>('POST', '/images/create?', { query: { fromSrc: '-', repo, tag }, file: tar });
    // The answer is a stream of JSON progress messages; the last status is the new image's id.
    const ids = (Buffer.isBuffer(text) ? text.toString('utf8') : JSON.stringify(text)).match(/sha256:[0-9a-f]{64}/g);
    if (!ids) throw new EngineError(`importing an empty image gave no image id (${String(text).slice(0, 200)})`);
    return ids[ids.length - 1];
  }

  removeImage(id: string): Promise<unknown> {
    return this.call('DELETE', `/images/${encodeURIComponent(id)}?`, { query: { noprune: false } });
  }

  async createContainer(name: string, body: object): Promise<string> {
    const r = await this.call<{ Id?: string }>('POST', '/containers/create?', { query: { name }, body });
    if (!r.Id) throw new EngineError('the engine created a container but gave no id');
    return r.Id;
  }

  removeContainer(id: string): Promise<unknown> {
    return this.call('DELETE', `/containers/${encodeURIComponent(id)}?`, { query: { v: false, force: false } });
  }

  /** A tar stream of `path` inside the container (GET /containers/{id}/archive). */
  archive(id: string, path: string): Promise<IncomingMessage> {
    return this.call<IncomingMessage>('GET', `/containers/${encodeURIComponent(id)}/archive?`, { query: { path }, stream: true });
  }

  private call<T>(method: string, path: string, o: { query?: object; body?: object; file?: Buffer; stream?: boolean } = {}): Promise<T> {
    const options = o.query || o.body ? { _query: o.query ?? {}, _body: o.body ?? {} } : undefined;
    return new Promise<T>((resolve, reject) => {
      this.modem.dial({
        path, method, options, file: o.file, isStream: o.stream, allowEmpty: true,
        statusCodes: { 200: true, 201: true, 204: true, 304: true, 400: 'bad request', 404: 'not found', 409: 'conflict', 500: 'server error', 503: 'not available' },
      }, (err, result) => {
        if (err) reject(describe(err as Error & { statusCode?: number; json?: { message?: string } }, method, path, this.endpoint));
        else resolve(result as T);
      });
    });
  }
}

function describe(e: Error & { statusCode?: number; json?: { message?: string } | Buffer; code?: string }, method: string, path: string, endpoint: EngineEndpoint): EngineError {
  const where = `${displayHost(endpoint)} (${endpoint.source})`;
  if (e.statusCode) {
    const message = e.json && !Buffer.isBuffer(e.json) && e.json.message ? e.json.message : e.message;
    return new EngineError(`${method} ${path.replace(/\?$/, '')} on ${where}: ${message.trim()}`, e.statusCode);
  }
  const hint = e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? ' (is the engine running, and is this the right host?)'
    : e.code === 'EACCES' ? ' (no permission on the socket: run as a member of the docker group or root)' : '';
  return new EngineError(`cannot reach the Docker engine at ${where}: ${e.message}${hint}`);
}

function modemOptions(endpoint: EngineEndpoint, env: NodeJS.ProcessEnv): Modem.ConstructorOptions {
  // Every connection field is given (undefined too): docker-modem otherwise fills gaps from DOCKER_HOST.
  const none = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, agent: undefined };
  const url = new URL(endpoint.host);
  if (url.protocol === 'unix:') return { ...none, socketPath: decodeURIComponent(url.pathname) };
  if (url.protocol === 'ssh:') {
    const sshOptions: ConnectConfig = sshAuthOptions(url.hostname, url.port ? Number(url.port) : 22, env);
    return { ...none, protocol: 'ssh', host: url.hostname, port: url.port || 22, username: decodeURIComponent(url.username) || env.USER || undefined, sshOptions };
  }
  if (url.protocol !== 'tcp:') throw new EndpointError(`unsupported Docker host ${endpoint.host}`);
  const port = url.port || (endpoint.tls ? '2376' : '2375');
  if (!endpoint.tls) return { ...none, protocol: 'http', host: url.hostname, port };
  const { ca, cert, key, verify } = endpoint.tls;
  // An agent of our own: docker-modem has no switch for an unverified server (--tls without --tlsverify).
  const agent = new HttpsAgent({ ca, cert, key, rejectUnauthorized: verify, keepAlive: false });
  return { ...none, protocol: 'https', host: url.hostname, port, ca, cert, key, agent };
}
