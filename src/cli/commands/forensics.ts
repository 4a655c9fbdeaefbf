// Registers the forensics commands (history, stats, compare) and provides dump-wal's --filter.
import type { Command } from 'commander';
import type { Fault } from '../../core/errors';
import { dumpWalFiltered, type EntryFilter } from '../../core/forensics';
import type { DumpOptions } from '../../core/report/dumpWal';
import type { SwarmState } from '../../core/state/swarmState';
import type { CommandContext } from '../main';
import { registerCompareCommand } from './compare';
import { registerHistoryCommand } from './history';
import { registerStatsCommand } from './stats';

export type ContextFactory = (cmd: Command) => CommandContext;

export { parseFilterOption } from './options';

export function registerForensicsCommands(program: Command, context: ContextFactory): void {
  registerHistoryCommand(program, context);
  registerStatsCommand(program, context);
  registerCompareCommand(program, context);
}

/** dump-wal's dump function for a filter, in the given format. */
export function filteredWalDump(filter: EntryFilter, format: string): (state: SwarmState, options: DumpOptions, faults: Fault[]) => Generator<string> {
  return (state, options, faults) => dumpWalFiltered(state, { ...options, format: format === 'json' ? 'json' : 'text' }, filter, faults);
}
