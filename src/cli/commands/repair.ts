// `swarm-raft repair -o OUT`: repairs a damaged manager into a new state directory that an engine
// starts from (issue #15). The plan is made before anything is written; --dry-run stops there. Exit
// codes: 0 the copy loses nothing, 3 the copy was written (or planned) but entries are lost (the report
// says which), 1 refused (nothing written), 2 usage.
import type { Command } from 'commander';
import { checkRepairOutput, planRepair, repairReportJson, repairReportText, verifyRepair, writeRepair, type RepairPlan, type RepairResult } from '../../core/repair';
import { EXIT } from '../main';
import type { ContextFactory } from './forensics';
import { parseFormat, parseIndex } from './options';

export function registerRepairCommand(program: Command, context: ContextFactory): void {
  program
    .command('repair')
    .description('repair a damaged manager into a new state directory OUT (never inside the state directory): keeps every entry that can be kept, re-chains the CRCs, clamps the hard state, and reports what the cluster loses')
    .requiredOption('-o, --output <dir>', 'new or empty output directory, outside the state directory')
    .option('--at <index>', 'keep the log only up to this raft index', parseIndex)
    .option('--dry-run', 'only print the plan; write nothing')
    .option('--format <format>', 'text or json (one object)', parseFormat, 'text')
    .action((opts: { output: string; at?: bigint; dryRun?: boolean; format: 'text' | 'json' }, cmd: Command) => {
      const ctx = context(cmd);
      checkRepairOutput(opts.output, ctx.stateDir);
      const state = ctx.openState(false);
      ctx.faults.length = 0; // the report lists the damage, with what the copy does about it
      let plan: RepairPlan;
      let result: RepairResult | undefined;
      try {
        plan = planRepair(state, { at: opts.at });
        if (!opts.dryRun) result = writeRepair(state, plan, opts.output);
      } finally {
        state.close();
      }
      // Read back once the source's index is gone: two at once would double the peak memory.
      if (result) result.verification = verifyRepair(result.outDir, ctx.openOptions());
      ctx.out.write(opts.format === 'json' ? JSON.stringify(repairReportJson(plan, result), null, 2) + '\n' : repairReportText(plan, result));
      if (result && result.verification.length > 0) {
        ctx.faults.push({ file: result.outDir, offset: 0, severity: 'error', message: `the copy does not read back clean: ${result.verification.join('; ')}` });
        return ctx.finish(EXIT.error);
      }
      const loses = plan.lost.count > 0 || plan.lost.damagedStretches > 0 || plan.dropped.some((d) => !d.covered);
      ctx.finish(loses ? EXIT.partial : EXIT.ok);
    });
}
