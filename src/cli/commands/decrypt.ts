// `swarm-raft decrypt -o DIR`: writes the log as plain etcd files, as swarm-rafttool's `decrypt` does:
// DIR/snap-decrypted/<term>-<index>.snap holding the newest valid snapshot with its payload decrypted, and
// DIR/wal-decrypted/0000000000000000-0000000000000000.wal holding, like the reference's MigrateWALs, the
// metadata, a snapshot mark {0,0}, the snapshot's mark (also {0,0} when there is none), then in one
// batch every entry of the effective log above the snapshot with its data decrypted, then the last hard
// state. Unlike the reference it never writes into the source directory (or inside it), never moves an
// existing output aside (it refuses a non-empty one instead) and can skip undecryptable entries.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RaftReadError } from '../../core/errors';
import { FileWindow } from '../../core/io/fileWindow';
import type { SwarmState } from '../../core/state/swarmState';
import type { WalEntry } from '../../core/wal/walLog';
import { assertOutsideOf, prepareEmptyDir } from '../../core/writer/outputDir';
import { plainSealer } from '../../core/writer/sealer';
import { writeSnapshotFile } from '../../core/writer/snapshotWriter';
import { openStoredPayload, readStoredEntryData } from '../../core/writer/storedPayload';
import { WalWriter, type EntryInput } from '../../core/writer/walWriter';

export const DECRYPTED_WAL_DIR = 'wal-decrypted';
export const DECRYPTED_SNAP_DIR = 'snap-decrypted';

export interface DecryptOptions {
  /** Leave out entries no key opens (reported in `skipped`) instead of failing; default false. */
  skipUndecryptable?: boolean;
  /** Zero-fill the WAL segment to 64,000,000 bytes as etcd (and the reference) does; default true. */
  preallocate?: boolean;
}

export interface DecryptResult {
  walFiles: string[];
  snapFiles: string[];
  /** Entries written. */
  entries: number;
  /** Indexes of entries left out (skipUndecryptable). */
  skipped: bigint[];
}

export function runDecrypt(state: SwarmState, outDir: string, options: DecryptOptions = {}): DecryptResult {
  assertOutsideOf(outDir, state.layout.stateDir);
  if (state.layout.encrypted && state.keyRing.keys.length === 0) {
    throw new RaftReadError('cannot decrypt: the data keys are not available (an autolocked swarm needs its unlock key)');
  }
  const result: DecryptResult = { walFiles: [], snapFiles: [], entries: 0, skipped: [] };
  const snapDir = join(outDir, DECRYPTED_SNAP_DIR);
  const walDir = join(outDir, DECRYPTED_WAL_DIR);
  const createdDirs = [outDir, snapDir, walDir].filter((d) => !existsSync(d));
  // Both checked before anything is written; on failure what was written is removed again, so a
  // failed run leaves no half-written log behind (the reference gets this from a temporary dir).
  prepareEmptyDir(snapDir);
  prepareEmptyDir(walDir);
  let writer: WalWriter | undefined;
  try {
    const snapFile = state.newestSnapshot;
    const snapshot = snapFile?.snapshot;
    if (snapFile && snapshot) {
      const opened = openStoredPayload(state, snapshot.data);
      if (!opened.ok) throw new RaftReadError(`cannot decrypt the snapshot: ${opened.message}`, snapFile.path, 0);
      const input = { index: snapshot.index, term: snapshot.term, confStateNodes: snapshot.confStateNodes, confStateLearners: snapshot.confStateLearners, data: opened.plain };
      result.snapFiles.push(writeSnapshotFile(snapDir, input, plainSealer));
    }
    writer = WalWriter.create(walDir, { metadata: state.wal.metadata ?? new Uint8Array(0), preallocate: options.preallocate });
    writer.saveSnapshot({ index: snapshot?.index ?? 0n, term: snapshot?.term ?? 0n });
    const hardState = state.wal.hardState;
    const entries = decryptedEntries(state, state.entriesAfter(snapFile), options, result);
    writer.save(hardState && { term: hardState.term, vote: hardState.vote, commit: hardState.commit }, entries);
    result.walFiles = writer.close().segments.map((s) => s.path);
    return result;
  } catch (e) {
    writer?.close();
    for (const dir of [walDir, snapDir]) for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true });
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Decrypts entries one at a time, so a huge log never sits in memory. */
function* decryptedEntries(state: SwarmState, entries: Iterable<WalEntry>, options: DecryptOptions, result: DecryptResult): Generator<EntryInput> {
  const files = new Map<string, FileWindow>();
  try {
    for (const entry of entries) {
      let file = files.get(entry.file);
      if (!file) files.set(entry.file, (file = new FileWindow(entry.file)));
      let stored: Uint8Array | undefined;
      try {
        stored = readStoredEntryData(file, entry);
      } catch (e) {
        // The index scan reads only the entry header; the full record may still fail to decode.
        if (options.skipUndecryptable) {
          result.skipped.push(entry.index);
          continue;
        }
        throw new RaftReadError(`cannot decrypt entry ${entry.index}: its record does not decode (${(e as Error).message}) (use --skip-undecryptable to leave such entries out)`, entry.file, entry.offset);
      }
      let data: Uint8Array | undefined;
      if (stored !== undefined) {
        const opened = openStoredPayload(state, stored);
        if (!opened.ok) {
          if (options.skipUndecryptable) {
            result.skipped.push(entry.index);
            continue;
          }
          throw new RaftReadError(`cannot decrypt entry ${entry.index}: ${opened.message} (use --skip-undecryptable to leave such entries out)`, entry.file, entry.offset);
        }
        // Go's decryption of an empty payload yields a nil slice, which marshals without a Data field.
        data = opened.plain.length > 0 ? opened.plain : undefined;
      }
      result.entries++;
      yield { index: entry.index, term: entry.term, type: entry.type, data };
    }
  } finally {
    for (const f of files.values()) f.close();
  }
}
