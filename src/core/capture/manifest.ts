// The manifest written beside a capture: where it came from, what was done on the host, and every file
// with its size and SHA-256, so a copy handed on can be checked and its origin told.
import type { CopyCheck } from './copyCheck';
import type { CopiedFile } from './tarCopy';

export const MANIFEST_NAME = 'capture-manifest.json';

export interface CaptureManifest {
  tool: string;
  startedAt: string;
  finishedAt: string;
  endpoint: { host: string; source: string; tls: 'none' | 'verified' | 'unverified' };
  engine: { version?: string; apiVersion?: string; os?: string; name?: string; dockerRootDir?: string };
  swarm: { nodeId?: string; clusterId?: string; manager: boolean; nodeState?: string; autolock: boolean };
  /** Always true: the engine answered the API, so the manager was running while it was copied. */
  live: boolean;
  liveNote: string;
  options: { certificates: boolean; redactedExport: boolean };
  /** Exactly what was done on the host, in order. */
  hostActions: string[];
  /** The files written under the output folder (for a redacted export: the export's files). */
  files: CopiedFile[];
  /** The files read from the host for a redacted export (not kept). */
  sourceFiles?: CopiedFile[];
  skipped: { path: string; reason: string }[];
  totalBytes: number;
  copyCheck: CopyCheck;
}
