// Node 20 reads and parses NODE_EXTRA_CA_CERTS when it starts, before any of our code runs: with a whole
// system bundle there (as on Debian machines that point it at /etc/ssl/certs/ca-certificates.crt) that is
// ~65 ms of every run, a sixth of exporting a small log, for certificates only an Engine API connection
// could use. So the `swarm-raft` executable (a line of shell, then JavaScript: scripts/build.mjs) starts
// Node with the variable moved to SWARM_RAFT_NODE_EXTRA_CA_CERTS, and the launcher puts it back: in the
// environment of a command that opens no connection (for the processes it starts), or by starting Node
// again with it for any other command. `node dist/cli.js` runs with the variable as given.

/** Where the executable's shell line moves NODE_EXTRA_CA_CERTS to ('' when it was not set). */
export const MOVED_CA_CERTS = 'SWARM_RAFT_NODE_EXTRA_CA_CERTS';

/** Commands that read and write only files: they never open a network connection. */
export const OFFLINE_COMMANDS: ReadonlySet<string> = new Set(['dump-wal', 'dump-snapshot', 'dump-object', 'decrypt', 'history', 'compare', 'stats', 'recreate', 'repair']);

/** The program's options that take a value, as src/cli/main.ts declares them (a test holds the two together). */
export const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-d', '--state-dir', '--unlock-key', '--unlock-key-file', '--key-file', '--node-key']);

/** The command word of a command line (global options may come first), or undefined (the program's help). */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return args[i + 1];
    if (!arg.startsWith('-')) return arg;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
  }
  return undefined;
}

/** Whether the command line could open a connection that should trust the extra certificates. */
export function needsExtraCaCerts(args: readonly string[]): boolean {
  const command = commandOf(args);
  return command !== undefined && !OFFLINE_COMMANDS.has(command);
}
