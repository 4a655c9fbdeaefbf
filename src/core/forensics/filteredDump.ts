// dump-wal with a filter: the same text or JSON lines as dump-wal, only for the entries that match.
// Unreadable entries are reported whether they match or not: the filter could not look inside them.
import type { Fault } from '../errors';
import { EntryProblems, entryText, selectEntries, type DumpOptions } from '../report/dumpWal';
import { entryJson } from '../report/dumpWalJson';
import type { SwarmState } from '../state/swarmState';
import { entryFilterTarget } from './entryTarget';
import { matchesFilter, type EntryFilter } from './filter';

export interface FilteredDumpOptions extends DumpOptions {
  format?: 'text' | 'json';
}

export function* dumpWalFiltered(state: SwarmState, options: FilteredDumpOptions, filter: EntryFilter, faults: Fault[]): Generator<string> {
  const problems = new EntryProblems(faults);
  const redact = options.redact ?? false;
  for (const entry of selectEntries(state, options)) {
    const decoded = state.decodeEntry(entry);
    problems.add(decoded);
    if (!matchesFilter(entryFilterTarget(decoded), filter)) continue;
    yield options.format === 'json' ? JSON.stringify(entryJson(decoded, redact)) + '\n' : entryText(decoded, redact);
  }
  problems.flush();
}
