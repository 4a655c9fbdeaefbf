// `swarm-raft history ID`: every version of one object, oldest first, from the whole log (entries below
// the snapshot included) and, when the log does not show where it came from, its copy in a snapshot.
import { Command, InvalidArgumentError } from 'commander';
import { RaftReadError, type Fault } from '../../core/errors';
import { historyJson, historyText, objectCatalog, objectVersions, resolveObjectRef, type ObjectVersions } from '../../core/forensics';
import { OBJECT_KINDS, type ObjectKind } from '../../core/model/objects';
import { EntryProblems } from '../../core/report/dumpWal';
import type { SwarmState } from '../../core/state/swarmState';
import type { ReplayFault } from '../../core/store/replay';
import type { ContextFactory } from './forensics';
import { parseFormat } from './options';

interface HistoryOptions {
  kind?: ObjectKind;
  format: 'text' | 'json';
  redact?: boolean;
  diff?: boolean;
}

export function registerHistoryCommand(program: Command, context: ContextFactory): void {
  program
    .command('history')
    .description('print every version of one object (each entry that created, updated or removed it), oldest first')
    .argument('<id>', 'object id (or a unique id prefix, or a name)')
    .option('--kind <kind>', `only objects of this kind (${OBJECT_KINDS.join(', ')})`, parseKind)
    .option('--format <format>', 'text (index, term, action, then the object in text format) or json (one version per line)', parseFormat, 'text')
    .option('--redact', 'hide secret and config data, env variables, registry auth and key material')
    .option('--diff', 'text: after the first version, print a unified diff against the previous one')
    .action(async (ref: string, opts: HistoryOptions, cmd: Command) => {
      const ctx = context(cmd);
      const state = ctx.openState();
      try {
        const history = findHistory(state, ref, opts.kind);
        reportUnreadable(state, history.faults, ctx.faults);
        const chunks = opts.format === 'json' ? historyJson(history, opts) : historyText(history, opts);
        await ctx.out.pipe(chunks);
      } finally {
        state.close();
      }
      ctx.finish();
    });
}

/** The history of the object `ref` names: an exact id first; else a unique id prefix or name. */
export function findHistory(state: SwarmState, ref: string, kind?: ObjectKind): ObjectVersions {
  const exact = objectVersions(state, ref, { kind });
  if (exact.versions.length > 0) return exact;
  const matches = resolveObjectRef(objectCatalog(state), ref, kind);
  if (matches.length === 0) {
    const unreadable = exact.faults.length ? `; ${exact.faults.length} entries could not be read (an older swarm-node.key given with --key-file may open them)` : '';
    throw new RaftReadError(`no ${kind ?? 'object'} with the id or name ${ref} in the log or the snapshots${unreadable}`);
  }
  if (matches.length > 1) {
    const listed = matches.slice(0, 10).map((m) => `${m.kind} ${m.id}${m.name ? ` (${m.name})` : ''}`).join(', ');
    throw new RaftReadError(`${ref} is ambiguous: ${matches.length} objects match: ${listed}${matches.length > 10 ? ', ...' : ''}`);
  }
  return objectVersions(state, matches[0].id, { kind: matches[0].kind });
}

/** Unreadable entries as dump-wal reports them (a run under an earlier data key is one warning). */
function reportUnreadable(state: SwarmState, faults: ReplayFault[], out: Fault[]): void {
  const problems = new EntryProblems(out);
  for (const f of faults) if (f.entry) problems.add(state.decodeEntry(f.entry));
  problems.flush();
}

function parseKind(value: string): ObjectKind {
  if (!(OBJECT_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${OBJECT_KINDS.join(', ')}`);
  return value as ObjectKind;
}
