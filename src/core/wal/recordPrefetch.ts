// A redacted export's big entry records, read and checked ahead on a thread of the CLI's native addon
// (src/native/recordPrefetch.c) while this thread prints the entries before them: their deferred CRC
// checks (deferredCrc.ts) and, for a sealed box in SwarmKit's canonical layout, its Poly1305 tag under
// the current data key. Reading, the CRC and the tag were most of a --redact export of big configs, all
// on one core of two. The thread keeps a record's first and last bytes only: what the redacted text of
// a big secret or config prints (its middle is the data the text replaces). An entry whose text needs
// more (PartialRecord) is read and checked again the usual way, as is anything the thread could not
// vouch for (a short read, an I/O error, a CRC or tag that does not match), which says what is wrong
// exactly as without it. What is printed is always what was checked.
import { closeSync, readSync } from 'node:fs';
import { openRegularFile } from '../io/fileWindow';
import { SECRETBOX_NONCE_BYTES, SECRETBOX_TAG_BYTES, nativeStream } from '../crypto/secretbox';
import { cliNative, type CliNative } from '../native/cliNative';
import type { DataKey } from '../keys/nodeKey';
import type { DeferredCrc, DeferredCrcs, EntryRefPlace } from './deferredCrc';
import type { EntryList } from './walLog';

/** A big record's bytes kept: its first HEAD_BYTES and last TAIL_BYTES (a config's or secret's metadata). */
let HEAD_BYTES = 8 * 1024;
let TAIL_BYTES = 2 * 1024;
/** How many records the thread may be ahead of the export (their kept bytes: 1.3 MB). */
let KEPT_RECORDS = 128;

/** For the tests: keep other amounts of each record, and let the thread be fewer records ahead. */
export function setKeptBytes(head: number, tail: number, records: number): void {
  HEAD_BYTES = head;
  TAIL_BYTES = tail;
  KEPT_RECORDS = records;
}
const JOB_FIELDS = 7;
const RECORD_TAG_OK = 2;
/** A sealed record's tail: the nonce field (tag 0x1a, length 24) and the nonce. */
const NONCE_FIELD_BYTES = 2 + SECRETBOX_NONCE_BYTES;

/**
 * A box whose Poly1305 tag the thread checked under `key`, in an entry's data: the box (tag, then
 * ciphertext) at [boxAt, boxAt + boxLength). Only the data's bytes [0, headEnd) and [tailFrom, length)
 * are there (headEnd >= tailFrom: all of them); reading others must throw PartialRecord.
 */
export interface VerifiedBox {
  key: Uint8Array;
  boxAt: number;
  boxLength: number;
  nonce: Uint8Array;
  headEnd: number;
  tailFrom: number;
}

/** Whether the data's bytes [from, to) are there (see VerifiedBox). */
export function keptBytes(box: VerifiedBox, from: number, to: number): boolean {
  return box.headEnd >= box.tailFrom || to <= box.headEnd || from >= box.tailFrom;
}

/** The entry's text needs bytes of its record that were not kept: read it whole and print it again. */
export class PartialRecord extends Error {
  constructor() {
    super('the entry needs bytes of its record the prefetch did not keep');
    this.name = 'PartialRecord';
  }
}

/** A sealed box found in a record: `boxAt` is its place in the file. */
type SealedBox = Pick<VerifiedBox, 'boxAt' | 'boxLength' | 'nonce'>;

interface Job {
  check: DeferredCrc;
  entry: EntryRefPlace;
  box: SealedBox;
}

export class RecordPrefetch {
  private next = 0;
  private closed = false;
  /** Where a record kept in part is put back together (its middle is whatever was there before). */
  private record = new Uint8Array(0);
  /** The box of the record the last view came from. */
  verifiedBox: VerifiedBox | undefined;
  /** The check the last view settled: unsettled again when the entry is read again. */
  private lastCheck: DeferredCrc | undefined;

  private constructor(
    private readonly addon: CliNative,
    private readonly handle: unknown,
    private readonly jobs: Job[],
    private readonly kept: Uint8Array,
    private readonly fds: number[],
    private readonly key: Uint8Array,
    private readonly sizes: { head: number; tail: number; records: number },
  ) {}

  /**
   * Starts reading the deferred records of `entries` (in their order) that hold a sealed box, checking
   * their tags under `key`; undefined where the addon is not built, or there is nothing to read.
   */
  static start(entries: EntryList, deferred: DeferredCrcs, key: DataKey | undefined): RecordPrefetch | undefined {
    if (deferred.size === 0 || !key || process.env.SWARM_RAFT_PREFETCH === 'off') return undefined;
    const addon = cliNative();
    const stream = nativeStream();
    if (!addon || !stream) return undefined;
    const candidates = deferredRecords(entries, deferred);
    if (candidates.length === 0) return undefined;
    const fds: number[] = [];
    const fdOf = new Map<string, number>();
    const jobs: Job[] = [];
    let keys = new Uint8Array(candidates.length * 32);
    try {
      for (const { check, entry } of candidates) {
        let fd = fdOf.get(check.file);
        if (fd === undefined) {
          fd = openRegularFile(check.file).fd;
          fds.push(fd);
          fdOf.set(check.file, fd);
        }
        const box = sealedBoxOf(fd, entry);
        if (!box) continue; // the usual way reads it
        // XSalsa20's first 32 keystream bytes: the box's Poly1305 key.
        stream.crypto_stream(keys.subarray(jobs.length * 32, jobs.length * 32 + 32), box.nonce, key.key);
        jobs.push({ check, entry, box });
      }
      if (jobs.length === 0) throw new Error('no sealed boxes');
      const numbers = new Float64Array(jobs.length * JOB_FIELDS);
      for (let j = 0, at = 0; j < jobs.length; j++, at += JOB_FIELDS) {
        const { check, box } = jobs[j];
        numbers[at] = fdOf.get(check.file)!;
        numbers[at + 1] = check.at;
        numbers[at + 2] = check.length;
        numbers[at + 3] = check.previous;
        numbers[at + 4] = check.expected;
        numbers[at + 5] = box.boxAt - check.at;
        numbers[at + 6] = box.boxLength;
      }
      keys = keys.subarray(0, jobs.length * 32);
      const sizes = { head: HEAD_BYTES, tail: TAIL_BYTES, records: KEPT_RECORDS };
      const [handle, kept] = addon.recordPrefetch.start(numbers, keys, sizes.head, sizes.tail, sizes.records);
      return new RecordPrefetch(addon, handle, jobs, kept, fds, key.key, sizes);
    } catch {
      for (const fd of fds) closeSync(fd);
      return undefined; // nothing to read ahead, or a file gone since the scan: the usual way says so
    } finally {
      keys.fill(0);
    }
  }

  /**
   * The entry's data when the thread read its record, the CRC matched and the box's tag verified (the
   * check is then settled, and verifiedBox says which bytes are there): a view valid until the next call.
   * Undefined otherwise: read it the usual way. Entries come in the order of the list given to start().
   */
  dataView(entry: EntryRefPlace, deferred: DeferredCrcs): Uint8Array | undefined {
    this.verifiedBox = undefined;
    this.lastCheck = undefined;
    if (this.closed) return undefined;
    // The caller reads the entries in the order the jobs were made from them: an entry is the next job's or none.
    const j = this.next;
    if (j === this.jobs.length || !sameRecord(this.jobs[j].entry, entry)) return undefined;
    this.next = j + 1;
    if (this.addon.recordPrefetch.take(this.handle, j) !== RECORD_TAG_OK) return undefined;
    const { check, box } = this.jobs[j];
    deferred.settleChecked(check);
    this.lastCheck = check;
    const { head, tail, records } = this.sizes;
    const kept = this.kept.subarray((j % records) * (head + tail), ((j % records) + 1) * (head + tail));
    const length = check.length;
    // Record bytes [0, headEnd) and [tailFrom, length) (both from the read that was checked).
    const headEnd = Math.min(length, head);
    const tailFrom = Math.max(length - tail, headEnd);
    let record: Uint8Array;
    if (tailFrom === headEnd) {
      record = kept.subarray(0, length); // kept whole: the tail follows the head
    } else {
      if (this.record.length < length) this.record = new Uint8Array(length);
      record = this.record.subarray(0, length);
      record.set(kept.subarray(0, headEnd), 0);
      record.set(kept.subarray(head, head + length - tailFrom), tailFrom);
    }
    const from = entry.dataAt - check.at;
    this.verifiedBox = {
      key: this.key, boxAt: box.boxAt - entry.dataAt, boxLength: box.boxLength, nonce: box.nonce,
      headEnd: tailFrom === headEnd ? entry.dataLength : headEnd - from, tailFrom: tailFrom === headEnd ? entry.dataLength : tailFrom - from,
    };
    return record.subarray(from, from + entry.dataLength);
  }

  /** Puts back the check the last view settled, for the record to be read again the usual way. */
  unsettleLast(deferred: DeferredCrcs): void {
    if (this.lastCheck) deferred.add(this.lastCheck);
    this.lastCheck = undefined;
    this.verifiedBox = undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.addon.recordPrefetch.close(this.handle); // joins the thread before its files close
    for (const fd of this.fds) closeSync(fd);
  }
}

function sameRecord(a: EntryRefPlace, b: EntryRefPlace): boolean {
  return a.offset === b.offset && a.file === b.file;
}

/** The deferred checks of the listed entries, in list order, whose data lies within the checked bytes. */
function deferredRecords(entries: EntryList, deferred: DeferredCrcs): Omit<Job, 'box'>[] {
  const found: Omit<Job, 'box'>[] = [];
  const table = entries.log.table;
  const seqs = entries.seqs;
  // An entry's data is shorter than its record's checked bytes by its header: at most 30 bytes.
  const candidateFrom = deferred.shortest - 64;
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs.at(i);
    if (table.dataLength(seq) < candidateFrom) continue;
    const entry = table.entry(seq);
    const check = deferred.find(entry.file, entry.offset);
    if (!check || entry.dataAt < check.at || entry.dataAt + entry.dataLength > check.at + check.length) continue;
    found.push({ check, entry });
  }
  return found;
}

/**
 * Where the box would be in the file in SwarmKit's canonical MaybeEncryptedRecord (algorithm 1, then the
 * box, then the 24-byte nonce field ending the entry's data: its length says the box's) and its nonce,
 * read from the data's last bytes; undefined where those are no nonce field. A record laid out otherwise
 * fails the thread's tag check, and the unsealing compares the record it decodes with this.
 */
function sealedBoxOf(fd: number, entry: EntryRefPlace): SealedBox | undefined {
  const tail = new Uint8Array(NONCE_FIELD_BYTES);
  if (entry.dataLength < 3 + 1 + SECRETBOX_TAG_BYTES + NONCE_FIELD_BYTES) return undefined;
  if (readSync(fd, tail, 0, tail.length, entry.dataAt + entry.dataLength - tail.length) !== tail.length) return undefined;
  if (tail[0] !== 0x1a || tail[1] !== SECRETBOX_NONCE_BYTES) return undefined;
  // 0x08 0x01 (the algorithm), 0x12 and the box's length in `v` bytes, the box, the nonce field.
  for (let v = 1; v <= 5; v++) {
    const boxLength = entry.dataLength - 3 - v - NONCE_FIELD_BYTES;
    if (boxLength >= SECRETBOX_TAG_BYTES && varintBytes(boxLength) === v) return { boxAt: entry.dataAt + 3 + v, boxLength, nonce: tail.slice(2) };
  }
  return undefined;
}

function varintBytes(value: number): number {
  let n = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}
