// `swarm-raft recreate -o OUT` (a recovery kit from the state) and `swarm-raft restore OUT` (the kit into
// a running swarm through the Engine API).
import type { Command } from 'commander';
import { recoveryKitAt, writeRecoveryKit } from '../../core/recreate';
import { parseIndex } from '../commands';
import type { CommandContext } from '../main';

type ContextFactory = (cmd: Command) => CommandContext;

export function registerRecoveryCommands(program: Command, context: ContextFactory): void {
  program
    .command('recreate')
    .description("write a recovery kit to OUT: Compose files per stack, the Engine API specs, secret and config data (in clear), a report of what Compose cannot carry; never inside the state directory")
    .requiredOption('-o, --output <dir>', 'new or empty output directory, outside the state directory')
    .option('--at <index>', 'the state at this entry index instead of the end of the log', parseIndex)
    .action((opts: { output: string; at?: bigint }, cmd: Command) => {
      const ctx = context(cmd);
      const state = ctx.openState();
      try {
        const { kit, index, faults } = recoveryKitAt(state, opts.at);
        for (const f of faults) ctx.faults.push({ file: f.entry?.file ?? state.layout.walDir, offset: f.entry?.offset ?? 0, severity: 'error', message: `entry ${f.index}: ${f.message}` });
        writeRecoveryKit(kit, opts.output, { stateDir: ctx.stateDir, index });
        const e = kit.engine;
        process.stderr.write(`wrote a recovery kit of the state at index ${index} to ${opts.output}: ${kit.compose.length} Compose file(s), ${e.services.length} services, ${e.networks.length} networks, ${e.secrets.length} secrets, ${e.configs.length} configs, ${e.volumes.length} volumes; ${kit.report.length} object(s) in report.md. It holds secrets in clear.\n`);
      } finally {
        state.close();
      }
      ctx.finish();
    });
}
