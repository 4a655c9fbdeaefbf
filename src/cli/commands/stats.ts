// `swarm-raft stats`: what makes the raft log big (counts and bytes per kind, action, term and service,
// the largest entries and objects), as text tables or one JSON object (the StatsModel).
import type { Command } from 'commander';
import { computeStats, statsText } from '../../core/forensics';
import type { ContextFactory } from './forensics';
import { parseCount, parseFormat } from './options';

export function registerStatsCommand(program: Command, context: ContextFactory): void {
  program
    .command('stats')
    .description('size statistics: per object kind and action, largest entries and objects, task churn per service, growth per term')
    .option('--format <format>', 'text (tables) or json (one object; indexes and terms as strings, bytes as numbers)', parseFormat, 'text')
    .option('--top <n>', 'how many of the largest entries and objects to list', parseCount, 10)
    .option('--after-snapshot', 'only the entries after the newest snapshot (default: every entry of the log)')
    .action((opts: { format: 'text' | 'json'; top: number; afterSnapshot?: boolean }, cmd: Command) => {
      const ctx = context(cmd);
      const state = ctx.openState();
      try {
        const model = computeStats(state, { top: opts.top, all: !opts.afterSnapshot });
        ctx.out.write(opts.format === 'json' ? JSON.stringify(model, null, 2) + '\n' : statsText(model));
        if (model.stateError) ctx.faults.push({ file: state.layout.stateDir, offset: 0, severity: 'warning', message: `the state at the end of the log cannot be rebuilt: ${model.stateError}` });
      } finally {
        state.close();
      }
      ctx.finish();
    });
}
