// WAL segment names: %016x-%016x.wal = <sequence>-<first raft index in the file>.
import { basename } from 'node:path';

export interface SegmentName {
  sequence: bigint;
  firstIndex: bigint;
}

const SEGMENT_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;

export function parseSegmentName(path: string): SegmentName | undefined {
  const m = SEGMENT_NAME.exec(basename(path));
  if (!m) return undefined;
  return { sequence: BigInt('0x' + m[1]), firstIndex: BigInt('0x' + m[2]) };
}

export function formatSegmentName(sequence: bigint, firstIndex: bigint): string {
  return `${hex16(sequence)}-${hex16(firstIndex)}.wal`;
}

export function hex16(n: bigint): string {
  return n.toString(16).padStart(16, '0');
}
