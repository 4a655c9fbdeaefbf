// Unpacks a tar stream (the Engine API's archive of the swarm directory) into a folder, file by file as
// it arrives: memory stays flat whatever the state's size, and each file's SHA-256 is taken on the way.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as TarStream from 'tar-stream';

export interface CopiedFile {
  /** Path under the output folder, with forward slashes. */
  path: string;
  size: number;
  sha256: string;
}

export interface TarCopyResult {
  files: CopiedFile[];
  directories: number;
  /** Entries not written (links, devices, ...), with why. */
  skipped: { path: string; reason: string }[];
  bytes: number;
}

export interface TarCopyOptions {
  /** Called with the running byte count as file data is written. */
  onBytes?: (bytes: number) => void;
  /** Leave out entries whose path (under the output folder) this accepts. */
  exclude?: (path: string) => boolean;
}

/** Writes every regular file and directory of `tar` under `outDir` (which the caller made new or empty). */
export async function unpackTar(tar: Readable, outDir: string, options: TarCopyOptions = {}): Promise<TarCopyResult> {
  const result: TarCopyResult = { files: [], directories: 0, skipped: [], bytes: 0 };
  // Required here, not imported: tar-stream is bundled apart (scripts/build.mjs) and loaded when used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const unpack = (require('tar-stream') as typeof TarStream).extract();
  const feeding = pipeline(tar, unpack);
  for await (const entry of unpack) {
    const name = safeRelative(entry.header.name);
    const type = entry.header.type ?? 'file';
    if (name === undefined || (options.exclude?.(name) ?? false) || (type !== 'file' && type !== 'directory')) {
      if (name === undefined) result.skipped.push({ path: entry.header.name, reason: 'a path outside the folder (absolute or with ..)' });
      else if (type !== 'file' && type !== 'directory') result.skipped.push({ path: name, reason: `a ${type}, not a regular file` });
      entry.resume();
      await new Promise<void>((resolve) => entry.once('end', resolve));
      continue;
    }
    const target = join(outDir, ...name.split('/'));
    if (type === 'directory') {
      mkdirSync(target, { recursive: true, mode: 0o700 });
      result.directories++;
      entry.resume();
      await new Promise<void>((resolve) => entry.once('end', resolve));
      continue;
    }
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const hash = createHash('sha256');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        result.bytes += chunk.length;
        options.onBytes?.(result.bytes);
        done(null, chunk);
      },
    });
    // 'wx': never replace a file; 0600: the host keeps this state readable by root only.
    await pipeline(entry, count, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
    result.files.push({ path: name, size, sha256: hash.digest('hex') });
  }
  await feeding;
  return result;
}

/** The entry's path relative to the output folder, or undefined when it would leave it. */
function safeRelative(name: string): string | undefined {
  const normal = posix.normalize(name.replace(/\/+$/, ''));
  if (normal === '.' || normal === '' || posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}
