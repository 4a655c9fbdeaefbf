// The CLI's commands. Each opens the state directory read-only, streams its output and reports faults.
import { Command, InvalidArgumentError } from 'commander';
import { dumpObjectText } from '../core/report/dumpObject';
import { dumpSnapshotText } from '../core/report/dumpSnapshot';
import { dumpWalBatches, selectEntries } from '../core/report/dumpWal';
import { dumpWalTextChunks, parallelDumpLikely, parallelDumpPossible, parallelDumpWorthwhile, startTextWorkers } from '../core/parallel/parallelDump';
import { join } from 'node:path';
import { dumpWalJson } from '../core/report/dumpWalJson';
import type { CommandContext } from './main';
import { filteredWalDump, parseFilterOption, registerForensicsCommands } from './commands/forensics';
import type { EntryFilter } from '../core/forensics';
import { runDecrypt } from './commands/decrypt';
import { parseIndex } from './commands/options';
import { registerRepairCommand } from './commands/repair';
import { registerRecoveryCommands } from './commands/recovery';
import { registerCaptureCommand } from './commands/capture';
import { followWal } from './commands/followWal';
import { DEFER_CRC_FROM_BYTES, DeferredCrcMismatch } from '../core/wal/deferredCrc';

/** SWARM_RAFT_DEFER_CRC=off: every CRC checked by the index, as before (for comparing the two ways). */
function textDeferral(): number | undefined {
  return process.env.SWARM_RAFT_DEFER_CRC === 'off' ? undefined : DEFER_CRC_FROM_BYTES;
}

type ContextFactory = (cmd: Command) => CommandContext;

export function registerCommands(program: Command, context: ContextFactory): void {
  program
    .command('dump-wal')
    .description('print the WAL entries after the newest snapshot (as swarm-rafttool), or all of them with --all')
    .option('--start <n>', 'first entry index to print (inclusive, 0 = from the start)', parseIndex)
    .option('--end <n>', 'last entry index to print (inclusive, 0 = to the end)', parseIndex)
    .option('--redact', 'hide secret and config data, env variables, registry auth and key material')
    .option('--all', 'also print the entries at or below the snapshot (the reference skips them)')
    .option('--format <format>', 'text (the reference format) or json (one object per line)', parseFormat, 'text')
    .option('--filter <filter>', 'only entries matching the filter, e.g. "kind:secret action:create name:pass 100..200 words" (docs/forensics.md)', parseFilterOption)
    .option('--workers <n>', 'threads that print the text of large logs, the main thread included (default: one per core; 1 = the main thread alone)', parsePositive)
    .option('--follow', 'print the committed entries, then new ones as they are committed (like tail -f), until interrupted or past --end')
    .action(async (opts: { start?: bigint; end?: bigint; redact?: boolean; all?: boolean; format: string; filter?: EntryFilter; workers?: number; follow?: boolean }, cmd: Command) => {
      const ctx = context(cmd);
      if (opts.follow) {
        if (opts.filter) throw new InvalidArgumentError('--follow does not take --filter');
        const state = ctx.openState();
        try {
          // Faults are printed as they are found; the exit code still says whether any lost data.
          const reported = await followWal(state, ctx.out, ctx.faults.splice(0), { ...opts });
          const errors = reported.filter((f) => f.severity === 'error').length;
          if (errors) ctx.faults.push({ file: state.layout.walDir, offset: 0, severity: 'error', message: `${errors} fault(s) reported above while following` });
        } finally {
          state.close();
        }
        ctx.finish();
        return;
      }
      const workerScript = join(__dirname, 'textWorker.js');
      const text = !opts.filter && opts.format === 'text';
      const parallel = text && parallelDumpPossible(workerScript, opts.workers);
      // For a large log, text workers start loading now, while the index is read; unused ones are stopped below.
      let workers = parallel && parallelDumpLikely(ctx.stateDir) ? startTextWorkers(workerScript, opts.workers) : undefined;
      const dump = async (deferCrcFrom: number | undefined): Promise<void> => {
        const state = ctx.openState(true, false, { deferCrcFrom });
        try {
          const options = { start: opts.start, end: opts.end, redact: opts.redact, all: opts.all };
          const entries = selectEntries(state, options);
          if (parallel && parallelDumpWorthwhile(entries)) {
            const started = workers ?? startTextWorkers(workerScript, opts.workers);
            workers = undefined; // the dump stops them when done
            await ctx.out.pipeReleasing(dumpWalTextChunks(state, options, ctx.faults, { workerScript, started }, entries));
          } else if (text) {
            await ctx.out.pipeReleasing(dumpWalBatches(state, options, ctx.faults, undefined, entries));
          } else {
            const listing = opts.filter ? filteredWalDump(opts.filter, opts.format) : dumpWalJson;
            await ctx.out.pipe(listing(state, options, ctx.faults));
          }
        } finally {
          state.close();
        }
      };
      try {
        // A text export that prints less than whole logs (redacted, or a range) checks big records' CRCs as it
        // reads them (src/core/wal/deferredCrc.ts); a failed check, found before any text is out, means the
        // index may differ: it is read again, every CRC first. A whole unredacted log's text is larger than
        // its records: holding it would cost memory, and checking the rest early the time the index saves.
        const faultsBefore = ctx.faults.length;
        const smallText = opts.redact || opts.start !== undefined || opts.end !== undefined;
        try {
          await dump(text && smallText ? textDeferral() : undefined);
        } catch (e) {
          if (!(e instanceof DeferredCrcMismatch)) throw e;
          ctx.faults.length = faultsBefore;
          await dump(undefined);
        }
      } finally {
        if (workers) await Promise.all(workers.map((w) => w.terminate()));
      }
      ctx.finish();
    });

  program
    .command('dump-snapshot')
    .description('print the newest valid snapshot (or the one named with --snapshot)')
    .option('--redact', 'hide secret and config data, env variables, registry auth and key material')
    .option('--snapshot <name>', 'snapshot file name to read instead of the newest valid one')
    .action((opts: { redact?: boolean; snapshot?: string }, cmd: Command) => {
      const ctx = context(cmd);
      const state = ctx.openState(true, true);
      try {
        ctx.out.write(dumpSnapshotText(state, opts));
      } finally {
        state.close();
      }
      ctx.finish();
    });

  program
    .command('dump-object')
    .description('replay the snapshot and the WAL through the store rules and print objects of one type')
    .argument('<type>', 'node, service, task, network, cluster, secret, config, resource, extension or volume')
    .option('--id <id>', 'look up the object by id')
    .option('--name <name>', 'look up objects by name (case-insensitive)')
    .option('--at <index>', 'state at this entry index (time travel) instead of the end of the log', parseIndex)
    .option('--snapshot <name>', 'start from this snapshot file instead of the newest valid one')
    .action((type: string, opts: { id?: string; name?: string; at?: bigint; snapshot?: string }, cmd: Command) => {
      const ctx = context(cmd);
      const state = ctx.openState();
      try {
        ctx.out.write(dumpObjectText(state, { type, ...opts }));
      } finally {
        state.close();
      }
      ctx.finish();
    });
  program
    .command('decrypt')
    .description('write a plain (unencrypted) etcd WAL and snapshot to DIR/wal-decrypted and DIR/snap-decrypted, as swarm-rafttool decrypt; never inside the state directory')
    .requiredOption('-o, --output <dir>', 'output directory (must be outside the state directory)')
    .option('--skip-undecryptable', 'leave out entries no data key opens (reported on stderr) instead of failing')
    .option('--no-preallocate', 'do not zero-fill the last segment to 64 MB')
    .action((opts: { output: string; skipUndecryptable?: boolean; preallocate: boolean }, cmd: Command) => {
      const ctx = context(cmd);
      const state = ctx.openState();
      try {
        const result = runDecrypt(state, opts.output, { skipUndecryptable: opts.skipUndecryptable, preallocate: opts.preallocate });
        if (result.skipped.length) {
          ctx.faults.push({ file: state.layout.walDir, offset: 0, severity: 'error', message: `left out ${result.skipped.length} entries no data key opens: ${result.skipped.join(', ')}` });
        }
        process.stderr.write(`wrote ${result.entries} entries to ${result.walFiles.length} WAL file(s) and ${result.snapFiles.length} snapshot file(s) in ${opts.output}\n`);
      } finally {
        state.close();
      }
      ctx.finish();
    });

  registerForensicsCommands(program, context);
  registerRepairCommand(program, context);
  registerRecoveryCommands(program, context);
  registerCaptureCommand(program);
}


function parsePositive(value: string): number {
  if (!/^[1-9]\d{0,2}$/.test(value)) throw new InvalidArgumentError('expected a whole number from 1 to 999');
  return Number(value);
}


function parseFormat(value: string): string {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError('expected text or json');
  return value;
}
