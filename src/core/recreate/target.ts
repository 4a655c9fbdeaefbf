// The target swarm for `restore`, through the Engine API with dockerode (a maintained client: unix
// socket or tcp, TLS from DOCKER_CERT_PATH when DOCKER_HOST is used). Only what restore needs.
import type Docker from 'dockerode';
import type { JsonObject } from './values';

export interface TargetObject {
  ID: string;
  Version?: { Index: number };
  Spec: JsonObject;
}

/** What restore reads from and sends to the target engine. */
export interface RestoreTarget {
  /** Where it is, for messages ("unix:///var/run/docker.sock"). */
  readonly address: string;
  info(): Promise<JsonObject>;
  apiVersion(): Promise<string>;
  networks(): Promise<JsonObject[]>;
  secrets(): Promise<TargetObject[]>;
  configs(): Promise<TargetObject[]>;
  volumes(): Promise<JsonObject[]>;
  services(): Promise<TargetObject[]>;
  nodes(): Promise<(TargetObject & { Description?: { Hostname?: string } })[]>;
  swarm(): Promise<TargetObject>;
  createNetwork(body: JsonObject): Promise<string>;
  createSecret(body: JsonObject): Promise<string>;
  createConfig(body: JsonObject): Promise<string>;
  createVolume(body: JsonObject): Promise<void>;
  createService(body: JsonObject): Promise<string>;
  service(id: string): Promise<TargetObject>;
  updateNode(id: string, version: number, spec: JsonObject): Promise<void>;
  updateSwarm(version: number, spec: JsonObject): Promise<void>;
}

/** `unix:///path`, `tcp://host:port` (or undefined: DOCKER_HOST, then the local socket, as the docker CLI). */
export function dockerTarget(host?: string): RestoreTarget {
  // Required here, not imported: the Docker client is bundled apart (scripts/build.mjs) and loaded when used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DockerClient = require('dockerode') as typeof Docker;
  const docker = new DockerClient(host ? hostOptions(host) : undefined);
  const address = host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const d = docker as unknown as Record<string, (opts?: unknown) => Promise<unknown>>;
  return {
    address,
    info: async () => (await docker.info()) as JsonObject,
    apiVersion: async () => (await docker.version()).ApiVersion,
    networks: async () => (await docker.listNetworks()) as unknown as JsonObject[],
    secrets: async () => (await docker.listSecrets()) as unknown as TargetObject[],
    configs: async () => (await docker.listConfigs()) as unknown as TargetObject[],
    volumes: async () => ((await docker.listVolumes()).Volumes ?? []) as unknown as JsonObject[],
    services: async () => (await docker.listServices()) as unknown as TargetObject[],
    nodes: async () => (await docker.listNodes()) as unknown as TargetObject[],
    swarm: async () => (await d.swarmInspect()) as TargetObject,
    createNetwork: async (body) => (await docker.createNetwork({ ...body, CheckDuplicate: true } as unknown as Docker.NetworkCreateOptions)).id,
    createSecret: async (body) => idOf(await d.createSecret(body)),
    createConfig: async (body) => idOf(await d.createConfig(body)),
    createVolume: async (body) => {
      await docker.createVolume(body as unknown as Docker.VolumeCreateOptions);
    },
    createService: async (body) => idOf(await d.createService(body)),
    service: async (id) => (await docker.getService(id).inspect()) as unknown as TargetObject,
    updateNode: async (id, version, spec) => {
      await docker.getNode(id).update({ _query: { version }, _body: spec } as unknown as object);
    },
    updateSwarm: async (version, spec) => {
      await d.swarmUpdate({ _query: { version }, _body: spec });
    },
  };
}

function idOf(created: unknown): string {
  const o = created as { id?: string; ID?: string };
  return o.id ?? o.ID ?? '';
}

function hostOptions(host: string): Docker.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const m = /^(tcp|http|https):\/\/([^:/]+)(?::(\d+))?\/?$/.exec(host);
  if (!m) throw new Error(`--docker-host ${host}: expected unix:///path/to/docker.sock or tcp://HOST:PORT`);
  return { host: m[2], port: Number(m[3] ?? 2375), protocol: m[1] === 'https' ? 'https' : 'http' };
}
