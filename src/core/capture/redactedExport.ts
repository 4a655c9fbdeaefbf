// A support bundle instead of the files: the whole log (dump-wal --all --redact) and the newest snapshot
// (dump-snapshot --redact) as text, with secret and config values, env, registry auth and keys hidden.
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatFault, type Fault } from '../errors';
import { dumpSnapshotText } from '../report/dumpSnapshot';
import { dumpWalText } from '../report/dumpWal';
import { SwarmState } from '../state/swarmState';
import type { CopiedFile } from './tarCopy';

/** Writes the export's files into `out` (new files only) and returns them with sizes and hashes. */
export function writeRedactedExport(stateDir: string, out: string, unlockKey: string | undefined): CopiedFile[] {
  const state = SwarmState.open(stateDir, { unlockKey });
  try {
    const status = state.keyRing.status;
    if (status.state !== 'open' && status.state !== 'not-encrypted') {
      throw new Error(`the copied state cannot be decrypted for the export: ${status.state === 'locked' ? 'the swarm is autolocked; give its unlock key' : status.message}`);
    }
    const faults: Fault[] = [...state.faults];
    const files = [writeText(out, 'dump-wal.txt', dumpWalText(state, { all: true, redact: true }, faults))];
    if (state.newestSnapshot) {
      let text: string;
      try {
        text = dumpSnapshotText(state, { redact: true });
      } catch (e) {
        text = '';
        faults.push({ file: state.newestSnapshot.path, offset: 0, severity: 'error', message: (e as Error).message });
      }
      files.push(writeText(out, 'dump-snapshot.txt', [text]));
    }
    const place = (f: Fault) => formatFault({ ...f, file: f.file.startsWith(stateDir) ? `swarm${f.file.slice(stateDir.length)}` : f.file });
    files.push(writeText(out, 'faults.txt', faults.map((f) => `${f.severity}: ${place(f)}\n`)));
    return files;
  } finally {
    state.close();
  }
}

function writeText(dir: string, name: string, chunks: Iterable<string>): CopiedFile {
  const fd = openSync(join(dir, name), 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for (const chunk of chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      hash.update(bytes);
      size += bytes.length;
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
  return { path: name, size, sha256: hash.digest('hex') };
}
