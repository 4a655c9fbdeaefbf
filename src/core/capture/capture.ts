// Copies a manager's <DockerRootDir>/swarm through the Docker Engine API alone: a container of an image
// already on the host is created (never started) with a read-only bind of that directory, the archive API
// streams it as a tar into OUT/swarm, and the container is removed. With no image on the host, an empty
// one is imported for the purpose and removed afterwards. A manifest beside the copy says what was done.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOutsideOf, prepareEmptyDir } from '../writer/outputDir';
import { EngineClient, EngineError, type EngineInfo, type ImageSummary } from './engineClient';
import { displayHost, resolveEndpoint, type EndpointRequest } from './endpoint';
import { checkCopy, type CopyCheck } from './copyCheck';
import { writeRedactedExport } from './redactedExport';
import { unpackTar, type CopiedFile, type TarCopyResult } from './tarCopy';
import { MANIFEST_NAME, type CaptureManifest } from './manifest';

export interface CaptureOptions extends EndpointRequest {
  /** The new or empty local folder the copy goes into (as OUT/swarm, with OUT/capture-manifest.json). */
  out: string;
  /** Leave out certificates/ (node key and certificates): they are not even read from the host. */
  certificates?: boolean;
  /** Write a redacted text export (dump-wal --all and dump-snapshot, secrets hidden) instead of the files. */
  redactedExport?: boolean;
  /** The unlock key of an autolocked swarm: needed for the redacted export only (never written anywhere). */
  unlockKey?: string;
  /** What is happening now, for a progress display. */
  onProgress?: (message: string) => void;
  /** The environment (SSH_AUTH_SOCK, HOME; DOCKER_* when resolving the endpoint). */
  env?: NodeJS.ProcessEnv;
}

export interface CaptureResult {
  manifest: CaptureManifest;
  manifestPath: string;
  /** OUT/swarm (absent for a redacted export). */
  stateDir?: string;
}

/** What is read from the host without certificates/: the rest of <root>/swarm as the engine lays it out. */
const WITHOUT_CERTIFICATES = ['raft', 'state.json', 'docker-state.json', 'worker'];
const MOUNT = '/swarm';

export class CaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureError';
  }
}

export async function captureState(options: CaptureOptions): Promise<CaptureResult> {
  const progress = options.onProgress ?? (() => undefined);
  const env = options.env ?? process.env;
  const endpoint = resolveEndpoint({ ...options, env });
  const client = new EngineClient(endpoint, env);
  const started = new Date();
  progress(`asking ${displayHost(endpoint)} (${endpoint.source}) for its version and swarm state`);
  const version = await client.version();
  const info = await client.info();
  const swarmDir = checkManager(info, displayHost(endpoint));
  const autolock = info.Swarm?.Cluster?.Spec?.EncryptionConfig?.AutoLockManagers ?? false;
  const withCertificates = options.certificates ?? true;
  if (options.redactedExport && autolock && !options.unlockKey) {
    throw new CaptureError('the swarm is autolocked: the redacted export needs its unlock key (--unlock-key-file FILE or SWARM_UNLOCK_KEY)');
  }
  if (options.redactedExport && !withCertificates) {
    throw new CaptureError('the redacted export decrypts the log with the node key in certificates/: it cannot leave them out');
  }
  if (isLocal(endpoint.host)) assertOutsideOf(options.out, swarmDir, "the engine's swarm directory");
  const out = prepareEmptyDir(options.out);

  const actions: string[] = [];
  const copyRoot = options.redactedExport ? mkdtempSync(join(tmpdir(), 'swarm-raft-capture-')) : out;
  let copy: TarCopyResult;
  try {
    copy = await copyThroughContainer(client, swarmDir, copyRoot, withCertificates, actions, progress);
  } catch (e) {
    if (options.redactedExport) rmSync(copyRoot, { recursive: true, force: true });
    throw e;
  }
  const finished = new Date();
  const stateDir = join(copyRoot, 'swarm');
  const check: CopyCheck = checkCopy(stateDir);
  const manifest: CaptureManifest = {
    tool: 'swarm-raft capture',
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    endpoint: { host: displayHost(endpoint), source: endpoint.source, tls: endpoint.tls ? (endpoint.tls.verify ? 'verified' : 'unverified') : 'none' },
    engine: { version: version.Version, apiVersion: version.ApiVersion, os: info.OSType, name: info.Name, dockerRootDir: info.DockerRootDir },
    swarm: {
      nodeId: info.Swarm?.NodeID, clusterId: info.Swarm?.Cluster?.ID, manager: true,
      nodeState: info.Swarm?.LocalNodeState, autolock,
    },
    live: true,
    liveNote: 'copied from a running engine while the manager may be writing: the newest WAL segment may end in a torn record (the reader reports it as a warning)',
    options: { certificates: withCertificates, redactedExport: options.redactedExport ?? false },
    hostActions: actions,
    files: copy.files,
    skipped: copy.skipped,
    totalBytes: copy.bytes,
    copyCheck: check,
  };
  let resultStateDir: string | undefined = stateDir;
  try {
    if (options.redactedExport) {
      progress('writing the redacted export');
      manifest.sourceFiles = copy.files;
      manifest.files = writeRedactedExport(stateDir, out, options.unlockKey);
      manifest.totalBytes = manifest.files.reduce((n: number, f: CopiedFile) => n + f.size, 0);
      resultStateDir = undefined;
    }
  } finally {
    if (options.redactedExport) rmSync(copyRoot, { recursive: true, force: true });
  }
  const manifestPath = join(out, MANIFEST_NAME);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
  return { manifest, manifestPath, stateDir: resultStateDir };
}

/** The host path of the swarm directory; refuses engines that have no Raft state. */
function checkManager(info: EngineInfo, host: string): string {
  if (info.OSType && info.OSType !== 'linux') throw new CaptureError(`${host} is a ${info.OSType} engine: capture reads Linux managers`);
  const swarm = info.Swarm;
  const state = swarm?.LocalNodeState ?? 'inactive';
  if (state === 'inactive' || state === 'pending') throw new CaptureError(`${host} is not part of a swarm (node state ${state}): it has no Raft state`);
  if (state !== 'locked' && !swarm?.ControlAvailable) {
    throw new CaptureError(`${host} is a worker (not a manager) of swarm ${swarm?.Cluster?.ID ?? '?'}: only managers keep Raft state; capture from a manager (docker node ls lists them)`);
  }
  if (!info.DockerRootDir) throw new CaptureError(`${host} did not say where its data is (no DockerRootDir in /info)`);
  return `${info.DockerRootDir.replace(/\/+$/, '')}/swarm`;
}

async function copyThroughContainer(
  client: EngineClient, swarmDir: string, copyRoot: string, withCertificates: boolean, actions: string[], progress: (m: string) => void,
): Promise<TarCopyResult> {
  const suffix = randomBytes(4).toString('hex');
  const image = await chooseImage(client, suffix, actions, progress);
  const made: { containerId?: string } = {};
  let copied: TarCopyResult | undefined;
  let failure: unknown;
  try {
    copied = await copyFromContainer(client, image, `swarm-raft-capture-${suffix}`, swarmDir, copyRoot, withCertificates, made, actions, progress);
  } catch (e) {
    failure = e;
  }
  // Both clean-ups are tried whatever happened; a failed one says what is left on the host.
  const left: string[] = [];
  if (made.containerId) {
    const id = made.containerId.slice(0, 12);
    await client.removeContainer(made.containerId).then(
      () => actions.push(`removed container ${id}`),
      (e: Error) => left.push(`container ${id} could not be removed (${e.message}): remove it with \`docker rm ${id}\``));
  }
  if (image.imported) {
    await client.removeImage(image.id).then(
      () => actions.push(`removed image ${image.label}`),
      (e: Error) => left.push(`image ${image.label} could not be removed (${e.message}): remove it with \`docker rmi ${image.id}\``));
  }
  if (left.length) throw new CaptureError([...(failure ? [(failure as Error).message] : []), ...left].join('; '));
  if (failure || !copied) throw failure;
  return copied;
}

async function copyFromContainer(
  client: EngineClient, image: ChosenImage, name: string, swarmDir: string, copyRoot: string, withCertificates: boolean,
  made: { containerId?: string }, actions: string[], progress: (m: string) => void,
): Promise<TarCopyResult> {
  progress(`creating container ${name} (never started) with ${swarmDir} mounted read-only`);
  const containerId = await client.createContainer(name, {
    Image: image.id,
    Cmd: ['/swarm-raft-capture-never-started'],
    Labels: { 'swarm-raft-explorer.capture': 'created, never started; removed after the copy' },
    NetworkDisabled: true,
    HostConfig: { Binds: [`${swarmDir}:${MOUNT}:ro`], NetworkMode: 'none' },
  });
  made.containerId = containerId;
  actions.push(`created container ${name} (${containerId.slice(0, 12)}) of image ${image.label} with a read-only bind mount of ${swarmDir} at ${MOUNT}; never started`);
  const total: TarCopyResult = { files: [], directories: 0, skipped: [], bytes: 0 };
  const onBytes = (n: number) => progress(`copying: ${formatBytes(total.bytes + n)}`);
  if (withCertificates) {
    Object.assign(total, await unpackTar(await client.archive(containerId, MOUNT), copyRoot, { onBytes }));
    actions.push(`read ${MOUNT} through the archive API (GET /containers/{id}/archive)`);
    return total;
  }
  prepareEmptyDir(join(copyRoot, 'swarm'));
  for (const part of WITHOUT_CERTIFICATES) {
    let tar;
    try {
      tar = await client.archive(containerId, `${MOUNT}/${part}`);
    } catch (e) {
      if (e instanceof EngineError && e.statusCode === 404) continue; // e.g. worker/ on an older engine
      throw e;
    }
    const one = await unpackTar(tar, join(copyRoot, 'swarm'), { onBytes });
    total.files.push(...one.files.map((f) => ({ ...f, path: `swarm/${f.path}` })));
    total.skipped.push(...one.skipped);
    total.directories += one.directories;
    total.bytes += one.bytes;
  }
  actions.push(`read ${WITHOUT_CERTIFICATES.map((p) => `${MOUNT}/${p}`).join(', ')} through the archive API (certificates/ was not read)`);
  return total;
}

interface ChosenImage {
  id: string;
  label: string;
  imported: boolean;
}

/** The smallest image on the host (it is never run, so any will do); else an empty one, imported now. */
async function chooseImage(client: EngineClient, suffix: string, actions: string[], progress: (m: string) => void): Promise<ChosenImage> {
  const images: ImageSummary[] = await client.listImages();
  const best = [...images].sort((a, b) => (a.Size ?? 0) - (b.Size ?? 0))[0];
  if (best) {
    const tag = best.RepoTags?.find((t) => t !== '<none>:<none>');
    return { id: best.Id, label: `${tag ?? best.Id.slice(0, 19)} (already on the host)`, imported: false };
  }
  // `scratch` is reserved; an image imported from an empty tarball (two zero blocks) serves.
  const repo = 'swarm-raft-capture-empty';
  progress(`no image on the host: importing an empty one as ${repo}:${suffix}`);
  const id = await client.importImage(Buffer.alloc(1024), repo, suffix);
  actions.push(`imported an empty image ${repo}:${suffix} (${id.slice(0, 19)}) from an empty tarball, since the host had no image`);
  return { id, label: `${repo}:${suffix}`, imported: true };
}

function isLocal(host: string): boolean {
  return host.startsWith('unix://');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
