// `swarm-raft compare -d DIR --other DIR2`: aligns two managers' logs of one swarm by index and term and
// says where they differ. The unlock key is cluster-wide, so the other directory uses the same one unless
// told otherwise; its data keys come from its own swarm-node.key (each manager has its own).
import { Command, Option } from 'commander';
import { RaftReadError } from '../../core/errors';
import { compareManagers, comparisonText } from '../../core/forensics';
import { SwarmState } from '../../core/state/swarmState';
import type { GlobalOptions } from '../main';
import { resolveUnlockKey } from '../unlockKeySource';
import type { ContextFactory } from './forensics';
import { parseFormat } from './options';

interface CompareCliOptions {
  other: string;
  otherUnlockKeyFile?: string;
  otherNodeKey?: string;
  otherKeyFile: string[];
  format: 'text' | 'json';
  payloads: boolean;
  allowDifferentClusters?: boolean;
}

export function registerCompareCommand(program: Command, context: ContextFactory): void {
  program
    .command('compare')
    .description("compare this manager's log (-d) with another manager's (--other): common prefix, first divergence, lagging side")
    .requiredOption('--other <dir>', "the other manager's state directory")
    .option('--other-unlock-key-file <file>', "the other manager's unlock key (default: the same as for -d; the key is cluster-wide)")
    .option('--other-node-key <file>', 'use this swarm-node.key for the other directory')
    .addOption(new Option('--other-key-file <file>', 'older copy of the other manager\'s swarm-node.key (repeatable)').argParser(collect).default([]))
    .option('--format <format>', 'text or json (one object)', parseFormat, 'text')
    .option('--no-payloads', 'compare index and term only (no decryption; works without keys)')
    .option('--allow-different-clusters', 'compare even when the node certificates name different clusters')
    .action((opts: CompareCliOptions, cmd: Command) => {
      const ctx = context(cmd);
      const a = ctx.openState(opts.payloads);
      let b: SwarmState | undefined;
      try {
        b = openOther(cmd, opts, opts.payloads);
        ctx.faults.push(...b.faults);
        const report = compareManagers(a, b, { payloads: opts.payloads, allowDifferentClusters: opts.allowDifferentClusters });
        ctx.out.write(opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : comparisonText(report));
      } finally {
        a.close();
        b?.close();
      }
      ctx.finish();
    });
}

function openOther(cmd: Command, opts: CompareCliOptions, needKeys: boolean): SwarmState {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  const unlockKey = opts.otherUnlockKeyFile
    ? resolveUnlockKey({ unlockKeyFile: opts.otherUnlockKeyFile }, {})
    : resolveUnlockKey({ unlockKey: g.unlockKey, unlockKeyFile: g.unlockKeyFile });
  const state = SwarmState.open(opts.other, { unlockKey, keyFiles: opts.otherKeyFile, nodeKeyFile: opts.otherNodeKey });
  const status = state.keyRing.status;
  if (needKeys && status.state !== 'open' && status.state !== 'not-encrypted') {
    state.close();
    const why = status.state === 'locked' ? 'it is autolocked: give its unlock key with --other-unlock-key-file (or the global key options)' : status.message;
    throw new RaftReadError(`${opts.other}: ${why}; --no-payloads compares index and term without keys`);
  }
  return state;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
