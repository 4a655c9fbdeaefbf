// Recovery: rebuild a swarm's definitions from its Raft state (a kit of Compose files and Engine API
// specs), and restore them into another swarm.
import type { SwarmState } from '../state/swarmState';
import { replayStore, type ReplayFault } from '../store/replay';
import { buildRecoveryKit, type RecoveryKit } from './kit';

export { buildRecoveryKit, composeServiceSnippet, engineForm, SERVICES_FILE, SERVICES_STACK, type ComposeFile, type EngineForm, type RecoveryKit, type ReportEntry } from './kit';
export { writeRecoveryKit, ENGINE_FILE, REPORT_FILE } from './writeKit';

/** The kit of the store as of `at` (the end of the log when omitted), with what the replay skipped. */
export function recoveryKitAt(state: SwarmState, at?: bigint): { kit: RecoveryKit; index: bigint; faults: ReplayFault[] } {
  // The kit reads no tasks: leaving them out skips most of the snapshot's bytes and the log's actions.
  const store = replayStore(state, { at, lenient: true, without: ['task'] });
  return { kit: buildRecoveryKit(store), index: store.appliedIndex, faults: store.faults };
}
export { applyRestore, planRestore, planText, readKitEngineForm, type ApplyOutcome, type PlanItem, type RestorePlan } from './restore';
export { dockerTarget, type RestoreTarget } from './target';
