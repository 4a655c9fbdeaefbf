// swarm-raft: read a Swarm manager's Raft state, as swarm-rafttool does, and correctly where it fails.
// Global flags may come before or after the command. Exit codes (also in the README):
//   0 success (warnings may be printed on stderr), 1 error (nothing or not all could be done),
//   2 usage error, 3 output printed but some data was unreadable (each fault on stderr with file:offset).
import { Command, CommanderError, Option } from 'commander';
import { RaftReadError, type Fault } from '../core/errors';
import { loadFastSecretbox } from '../core/crypto/secretbox';
import { SwarmState, type OpenOptions } from '../core/state/swarmState';
import { Output, reportFaults } from './output';
import { resolveUnlockKey } from './unlockKeySource';
import { registerCommands } from './commands';

export const EXIT = { ok: 0, error: 1, usage: 2, partial: 3 } as const;

export interface GlobalOptions {
  stateDir: string;
  unlockKey?: string;
  unlockKeyFile?: string;
  keyFile: string[];
  nodeKey?: string;
}

export interface CommandContext {
  /** The state directory given (-d). */
  stateDir: string;
  out: Output;
  faults: Fault[];
  /** Flushes output, prints faults and sets the exit code (3 when any fault lost data, or `code` when given). */
  finish(code?: number): void;
  /** The global key options as SwarmState.open takes them (to open a second directory the same way). */
  openOptions(): OpenOptions;
  /**
   * Opens the state directory with the global options; fails (exit 1) when the data keys cannot be opened.
   * `snapshotsOnly`: for commands that read no WAL entry (the log is not indexed). `extra`: open options
   * of one command (deferCrcFrom).
   */
  openState(needKeys?: boolean, snapshotsOnly?: boolean, extra?: Pick<OpenOptions, 'deferCrcFrom'>): SwarmState;
}

export function buildProgram(result: { code: number } = { code: EXIT.ok }): Command {
  const program = new Command('swarm-raft')
    .description("Read a Docker Swarm manager's Raft WAL and snapshots (read-only).")
    .option('-d, --state-dir <dir>', 'swarm state directory (the folder holding raft/ and certificates/)', './swarmkitstate')
    .option('--unlock-key <key>', 'unlock key (SWMKEY-1-...) of an autolocked swarm; prefer --unlock-key-file or SWARM_UNLOCK_KEY')
    .option('--unlock-key-file <file>', 'read the unlock key from a file')
    .addOption(new Option('--key-file <file>', 'older copy of swarm-node.key whose data keys open entries written before a rotation (repeatable)').argParser(collect).default([]))
    .option('--node-key <file>', 'use this swarm-node.key instead of certificates/swarm-node.key')
    .showHelpAfterError(false)
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(`Error: ${s.replace(/^error: /, '')}`) });
  registerCommands(program, (cmd) => makeContext(cmd, result));
  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function makeContext(cmd: Command, result: { code: number }): CommandContext {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  const faults: Fault[] = [];
  const out = new Output();
  return {
    stateDir: g.stateDir,
    out,
    faults,
    finish(code?: number) {
      out.flush();
      reportFaults(faults);
      result.code = code ?? (faults.some((f) => f.severity === 'error') ? EXIT.partial : EXIT.ok);
    },
    openOptions() {
      return { unlockKey: resolveUnlockKey({ unlockKey: g.unlockKey, unlockKeyFile: g.unlockKeyFile }), keyFiles: g.keyFile, nodeKeyFile: g.nodeKey };
    },
    openState(needKeys = true, snapshotsOnly = false, extra = {}) {
      const options = { ...this.openOptions(), ...extra };
      const state = snapshotsOnly ? SwarmState.openSnapshotsOnly(g.stateDir, options) : SwarmState.open(g.stateDir, options);
      const status = state.keyRing.status;
      if (needKeys && status.state !== 'open' && status.state !== 'not-encrypted') {
        state.close();
        const why = status.state === 'locked'
          ? `the swarm is autolocked: give its unlock key with --unlock-key-file FILE, SWARM_UNLOCK_KEY or --unlock-key`
          : status.message;
        throw new RaftReadError(why);
      }
      faults.push(...state.faults);
      return state;
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = buildProgram(result);
  try {
    // Every command but dump-snapshot, which opens one big box (the native addon's, loaded for it),
    // readies the fast secretbox first: the native addon, or libsodium's WebAssembly build.
    program.hook('preAction', (_program, action) => (action.name() === 'dump-snapshot' ? undefined : loadFastSecretbox()));
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    process.stderr.write(`Error: ${oneLine((e as Error).message)}\n`);
    return EXIT.error;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok); // e.g. `| head`: the reader has what it wanted
    throw e;
  });
  void main(process.argv.slice(2)).then(async (code) => {
    // A natural exit tears the whole heap down first (~30 ms after a large dump, 4% of a small log's
    // export): exit once the streams have written everything they were given (callbacks come in order).
    // Linux writes stderr synchronously (files, pipes, terminals), and touching process.stderr creates it
    // (for a pipe, with Node's net module: ~1.3 ms), so it is waited for elsewhere only.
    const streams = process.platform === 'linux' ? [process.stdout] : [process.stdout, process.stderr];
    await Promise.all(streams.map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))));
    process.exit(code);
  });
}
