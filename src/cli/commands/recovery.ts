// `swarm-raft recreate -o OUT` (a recovery kit from the state) and `swarm-raft restore OUT` (the kit into
// a running swarm through the Engine API).
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRestore, dockerTarget, ENGINE_FILE, planRestore, planText, readKitEngineForm, recoveryKitAt, writeRecoveryKit } from '../../core/recreate';
import { parseIndex } from './options';
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

  program
    .command('restore')
    .description('restore a recovery kit into a running swarm through the Engine API: prints the plan (create / exists-identical / conflict); applies it only with --apply')
    .argument('<kit>', 'the folder swarm-raft recreate wrote')
    .option('--docker-host <url>', 'the target engine: unix:///var/run/docker.sock or tcp://HOST:PORT (default: DOCKER_HOST, then the local socket)')
    .option('--apply', 'create what the plan says (networks, secrets, configs, volumes, services, node labels); never overwrites')
    .option('--cluster-settings', 'with --apply: also set the swarm settings (raft, dispatcher, CA expiry, task history, autolock)')
    .action(async (kitDir: string, opts: { dockerHost?: string; apply?: boolean; clusterSettings?: boolean }, cmd: Command) => {
      const ctx = context(cmd);
      const path = join(kitDir, ENGINE_FILE);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; give the folder swarm-raft recreate wrote`, { cause: e });
      }
      const kit = readKitEngineForm(text, path);
      const target = dockerTarget(opts.dockerHost);
      const plan = await planRestore(kit, target, { clusterSettings: opts.clusterSettings });
      if (!opts.apply || plan.blocked) {
        ctx.out.write(planText(plan));
        if (opts.apply) ctx.out.write('Nothing was applied.\n');
        ctx.finish();
        if (plan.blocked) throw new Error(plan.blocked);
        return;
      }
      const outcomes = await applyRestore(plan, kit, target, { clusterSettings: opts.clusterSettings });
      ctx.out.write(planText(plan, outcomes));
      ctx.finish();
      const failed = outcomes.filter((o) => o.result === 'failed');
      if (failed.length) throw new Error(`${failed.length} object(s) failed (listed above); the others listed as applied were applied`);
    });
}
