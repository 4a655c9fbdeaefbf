// Option parsers shared by the forensics commands (usage errors exit 2 through commander).
import { InvalidArgumentError } from 'commander';
import { parseEntryFilter, type EntryFilter } from '../../core/forensics';

export function parseFormat(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError('expected text or json');
  return value;
}

/** A raft index: a uint64 written in decimal. */
export function parseIndex(value: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative whole number');
  const n = BigInt(value);
  if (n >= 1n << 64n) throw new InvalidArgumentError('larger than a uint64');
  return n;
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative whole number');
  return Number(value);
}

/** `--filter`: the filter syntax of docs/forensics.md; a term it does not understand is a usage error. */
export function parseFilterOption(value: string): EntryFilter {
  const { filter, problems } = parseEntryFilter(value);
  if (problems.length) throw new InvalidArgumentError(problems.join('; '));
  return filter;
}
