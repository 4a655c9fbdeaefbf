// The reference's dump-wal text, produced as a stream of chunks (one per entry) so large logs export
// without building one huge string. Entries that cannot be decrypted print their header and the reason,
// instead of aborting the whole dump as the reference does.
import { Messages } from '../codec';
import { PlainScratch } from '../crypto/secretbox';
import type { Fault } from '../errors';
import { decodeEntryPayload, unreadableRecord, unsealPayload, type PayloadContext } from '../state/entryPayload';
import type { DecodedEntry, SwarmState } from '../state/swarmState';
import { writeMessage } from '../text/protoText';
import { writeDecimal } from '../text/goFormat';
import { TextSink } from '../text/textSink';
import { redactRequest, wireRequestRedaction } from '../text/redact';
import { WireTextError, writeWireText } from '../text/wireText';
import { DeferredCrcMismatch, type DeferredCrcs } from '../wal/deferredCrc';
import { EntryType } from '../wal/segment';
import { keptBytes, PartialRecord, RecordPrefetch, type VerifiedBox } from '../wal/recordPrefetch';
import { SequentialEntryReader } from '../wal/sequentialReader';
import type { EntryList, WalEntry } from '../wal/walLog';
import { confChangeTypeName, entryTypeName, hexId } from './names';
import { unsealForRedactedText } from './redactedOpening';

export interface EntrySelection {
  /** Inclusive bounds on the entry index; 0 = open, as in the reference. */
  start?: bigint;
  end?: bigint;
  /** Also list the entries at or below the snapshot (the reference skips them). */
  all?: boolean;
}

export interface DumpOptions extends EntrySelection {
  redact?: boolean;
}

export function selectEntries(state: SwarmState, sel: EntrySelection): EntryList {
  const entries = sel.all ? state.effectiveEntries : state.entriesAfter();
  const start = sel.start ?? 0n;
  const end = sel.end ?? 0n;
  if (start === 0n && end === 0n) return entries;
  return entries.filter((table, seq) => {
    const index = table.index(seq);
    return (start === 0n || index >= start) && (end === 0n || index <= end);
  });
}

const ENTRY_INDEX = Buffer.from('Entry Index=');
const TERM = Buffer.from(', Term=');
const typeEndings: Uint8Array[] = [];
/** Most entries have the term of the one before. */
let lastTerm = 0n;
let lastTermText = Buffer.from('0');

/** `Entry Index=i, Term=t, Type=name:\n`, written as bytes: the numbers' digits straight into the sink (one header per entry). */
function writeEntryHeader(out: TextSink, e: WalEntry): void {
  out.bytes(ENTRY_INDEX);
  writeBigDecimal(out, e.index);
  out.bytes(TERM);
  if (e.term !== lastTerm) {
    lastTerm = e.term;
    lastTermText = Buffer.from(e.term.toString());
  }
  out.bytes(lastTermText);
  const type = e.type;
  const ending = type >= 0 && type < 16 ? (typeEndings[type] ??= Buffer.from(`, Type=${entryTypeName(type)}:\n`)) : undefined;
  if (ending) out.bytes(ending);
  else out.write(`, Type=${entryTypeName(type)}:\n`);
}

function writeBigDecimal(out: TextSink, n: bigint): void {
  if (n >= 0n && n <= 9007199254740991n) writeDecimal(out, Number(n));
  else out.write(n.toString());
}

/** The text of one decoded entry, header included, as dump-wal prints it. */
export function entryText(decoded: DecodedEntry, redact: boolean): string {
  scratch.reset();
  writeEntryText(scratch, decoded, redact);
  return scratch.toString();
}

const scratch = new TextSink(1 << 20);

/** entryText, appended to `out`. */
export function writeEntryText(out: TextSink, decoded: DecodedEntry, redact: boolean): void {
  writeEntryHeader(out, decoded.entry);
  if (!decoded.ok) {
    out.write(decoded.problem === 'earlier-key' ? '(encrypted with an earlier data key)' : `(${decoded.message})`);
    out.write('\n\n');
  } else if (decoded.kind === 'confChange') {
    out.write(`Conf change type: ${confChangeTypeName(decoded.confChange.type)}\nNode ID: ${hexId(decoded.confChange.nodeId)}\n\n`);
  } else {
    writeMessage(out, redact ? redactRequest(decoded.request) : decoded.request);
    out.write('\n');
  }
}

/**
 * Appends one entry's text from its sealed data. A request is printed straight from its bytes
 * (src/core/text/wireText.ts, the same text several times faster; redacted by the wire form of the
 * --redact rules); conf changes, and bytes that printer declines, are decoded and printed as entryText
 * does. Returns the decoded entry when it went that way (for EntryProblems), undefined when it was
 * printed from the bytes.
 */
export function writeSealedEntryText(
  out: TextSink, ctx: PayloadContext, entry: WalEntry, data: Uint8Array, redact: boolean, scratch?: PlainScratch, verified?: VerifiedBox,
): DecodedEntry | undefined {
  if (entry.type !== EntryType.ConfChange) {
    // Printed before the next open: scratch memory will do. Redacted, a big entry's secret or config data
    // is authenticated but not decrypted (the text replaces it); `verified`: its tag was checked already.
    const opened = redact ? unsealForRedactedText(ctx, data, entry.index, wireRequestRedaction, scratch, verified) : unsealPayload(ctx, data, entry.index, scratch);
    if (opened.ok) {
      const mark = out.length;
      try {
        writeEntryHeader(out, entry);
        writeWireText(out, opened.plain, Messages.internalRaftRequest, redact ? wireRequestRedaction : undefined);
        out.write('\n');
        return undefined;
      } catch (e) {
        if (!(e instanceof WireTextError)) throw e;
        out.rewind(mark); // protobufjs decides what these bytes are (and reports the problem)
      }
    }
  }
  if (verified && !keptBytes(verified, 0, data.length)) throw new PartialRecord(); // what follows reads all of it
  const decoded = decodeEntryPayload(ctx, entry, data);
  writeEntryText(out, decoded, redact);
  return decoded;
}

/** The text of an entry whose record did not decode when read again for its data (`error` says why). */
export function writeUnreadableEntryText(out: TextSink, entry: WalEntry, error: unknown, redact: boolean): DecodedEntry {
  const decoded = unreadableRecord(entry, error);
  writeEntryText(out, decoded, redact);
  return decoded;
}

/** Yields dump-wal's output entry by entry; problems go to `faults` (for stderr), not into the text. */
export function* dumpWalText(state: SwarmState, options: DumpOptions, faults: Fault[]): Generator<string> {
  const out = new TextSink(1 << 16);
  for (const _ of writeEachEntry(out, state, options, faults)) {
    yield out.toString();
    out.reset(1 << 20);
  }
}

/** A batch of dump-wal's text; release() once it is written hands its memory back for the next batches. */
export interface TextBatch {
  text: Uint8Array;
  release(): void;
}

/**
 * dumpWalText as UTF-8 bytes in batches of about `batchBytes`: a writer to a file or pipe makes one write
 * per batch and no string per entry. Batches are the sink's memory, not copies; released ones are
 * written into again (a few are kept), so a long dump touches the same few buffers.
 */
export function* dumpWalBatches(
  state: SwarmState, options: DumpOptions, faults: Fault[], batchBytes = 256 * 1024, entries: EntryList = selectEntries(state, options),
): Generator<TextBatch> {
  const batches = textBatches(state, options, faults, batchBytes, entries);
  const deferred = state.wal.deferredCrcs;
  yield* deferred.size ? heldUntilChecked(batches, deferred) : batches;
}

function* textBatches(state: SwarmState, options: DumpOptions, faults: Fault[], batchBytes: number, entries: EntryList): Generator<TextBatch> {
  const out = new TextSink(batchBytes * 2);
  const released: ArrayBuffer[] = [];
  const batch = (next: ArrayBuffer | number): TextBatch => {
    const text = out.handOff(next);
    return { text, release: () => void (released.length < 4 && released.push(text.buffer as ArrayBuffer)) };
  };
  for (const _ of writeEachEntry(out, state, options, faults, entries, batchBytes)) {
    yield batch(released.pop() ?? batchBytes * 2);
  }
  if (out.length > 0) yield batch(16);
}

/**
 * Text held back while deferred CRC checks are open: at most this much, then the rest are checked at once
 * (what the index would have done). Deferring pays where the text is small beside the log (--redact of big
 * configs: 87 KB of 66 MB); where it is not, holding more would only cost memory.
 */
export const HOLD_BYTES = 1024 * 1024;

/**
 * The batches, none let out while the log has unsettled CRC checks (deferredCrc.ts: the export settles
 * them as it reads the entries; the rest, e.g. overwritten entries, at the end or once HOLD_BYTES are
 * held). A failed check throws DeferredCrcMismatch before any text of the index it doubts is out.
 */
export function* heldUntilChecked(batches: Iterable<TextBatch>, deferred: DeferredCrcs, holdBytes = HOLD_BYTES): Generator<TextBatch> {
  const held: TextBatch[] = [];
  let bytes = 0;
  for (const batch of batches) {
    if (deferred.size > 0 && bytes + batch.text.length >= holdBytes) deferred.settleAll();
    if (deferred.size === 0) {
      yield* held.splice(0);
      yield batch;
      continue;
    }
    held.push(batch);
    bytes += batch.text.length;
  }
  deferred.settleAll();
  yield* held;
}

/**
 * Appends the selected entries' text to `out`, yielding after an entry once `out` holds `yieldFrom` bytes
 * (the caller may empty `out` then): after every entry by default, after a batch's worth for a writer.
 */
function* writeEachEntry(out: TextSink, state: SwarmState, options: DumpOptions, faults: Fault[], entries = selectEntries(state, options), yieldFrom = 0): Generator<void> {
  const problems = new EntryProblems(faults);
  const redact = options.redact ?? false;
  const context = state.payloadContext;
  const deferred = state.wal.deferredCrcs;
  // A redacted text prints little of a big record: its reading and checks go to another thread, where
  // the CLI's addon is (tags under the current key).
  const prefetch = redact && context.encrypted ? RecordPrefetch.start(entries, deferred, context.keys[0]) : undefined;
  const reader = new SequentialEntryReader(state.wal.takeScanMemory(), deferred, prefetch);
  const scratch = new PlainScratch();
  try {
    for (let i = 0, n = entries.length; i < n; i++) {
      const entry = entries.at(i);
      const mark = out.length;
      let decoded: DecodedEntry | undefined;
      try {
        decoded = writeEntryRead(out, context, entry, redact, scratch, reader, false);
      } catch (e) {
        if (!(e instanceof PartialRecord)) throw e;
        out.rewind(mark); // its text needs more of the record than the prefetch kept: read it whole
        decoded = writeEntryRead(out, context, entry, redact, scratch, reader, true);
      }
      if (decoded) problems.add(decoded);
      if (out.length >= yieldFrom) yield;
    }
  } finally {
    reader.close();
  }
  problems.flush();
}

/** Reads the entry's data (used before the next read; `again`: whole, after PartialRecord) and writes its text. */
function writeEntryRead(
  out: TextSink, context: PayloadContext, entry: WalEntry, redact: boolean, scratch: PlainScratch, reader: SequentialEntryReader, again: boolean,
): DecodedEntry | undefined {
  let data: Uint8Array;
  try {
    data = again ? reader.dataViewReadAgain(entry) : reader.dataView(entry);
  } catch (e) {
    if (e instanceof DeferredCrcMismatch) throw e;
    return writeUnreadableEntryText(out, entry, e, redact);
  }
  return writeSealedEntryText(out, context, entry, data, redact, scratch, again ? undefined : reader.verifiedBox);
}

/**
 * Turns unreadable entries into faults. Entries under an earlier data key are expected after an autolock
 * (the WAL is not rewritten), so a run of them is one warning, not one line per entry.
 */
export class EntryProblems {
  private run: { first: WalEntry; last: WalEntry; count: number } | undefined;

  constructor(private readonly faults: Fault[]) {}

  add(decoded: DecodedEntry): void {
    if (decoded.ok) return;
    const entry = decoded.entry;
    if (decoded.problem === 'earlier-key') {
      if (this.run) {
        this.run.last = entry;
        this.run.count++;
      } else {
        this.run = { first: entry, last: entry, count: 1 };
      }
      return;
    }
    this.flush();
    this.faults.push({ file: entry.file, offset: entry.offset, severity: 'error', message: `entry ${entry.index}: ${stripPlace(decoded.message)}` });
  }

  flush(): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    const which = run.count === 1 ? `entry ${run.first.index} is` : `entries ${run.first.index}..${run.last.index} (${run.count}) are`;
    this.faults.push({
      file: run.first.file, offset: run.first.offset, severity: 'warning',
      message: `${which} encrypted with an earlier data key (covered by a snapshot); give an older copy of swarm-node.key with --key-file to read them`,
    });
  }
}

/** Messages from the state already start with "file:offset: "; faults carry the place separately. */
export function stripPlace(message: string): string {
  return message.replace(/^[^\n]*?:\d+: /, '');
}
