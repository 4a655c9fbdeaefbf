// "Swarm Raft: Repair into a Copy...": asks for a new or empty folder outside the state directory, shows
// the plan as a report document before anything is written, asks to go on, writes the copy with a
// progress notification, reads it back and shows the report. Reading and writing run in slices, so the
// editors stay responsive meanwhile. The state directory is only read.
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { checkRepairOutput, planRepairSteps, repairReportText, verifyRepair, writeRepairSteps, type RepairPlan, type RepairResult } from '../../core/repair';
import { runStepsInSlices } from '../../core/steps';
import type { Explorer } from '../context';
import { askOutputFolder } from '../outputFolder';
import type { RaftDocument } from '../editor/raftDocument';

/** Optional arguments (tests, other extensions); anything left out is asked. */
export interface RepairCommandOptions {
  /** The output folder (new or empty, outside the state directory). */
  output?: string;
  /** The answer to "write the copy?" after the plan. */
  confirm?: boolean;
  /** Keep the log only up to this index. */
  at?: bigint;
}

export interface RepairCommandResult {
  plan: RepairPlan;
  planText: string;
  result?: RepairResult;
  reportText?: string;
}

export async function repairIntoCopy(explorer: Explorer, doc: RaftDocument, options: RepairCommandOptions = {}): Promise<RepairCommandResult | undefined> {
  const shared = await explorer.openSwarm(doc, `Cannot repair ${doc.shared?.stateDir ?? doc.fileName}`);
  if (!shared) return undefined;
  const output = options.output ?? (await askOutput(shared.stateDir));
  if (!output) return undefined;
  try {
    checkRepairOutput(output, shared.stateDir);
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return undefined;
  }
  const name = basename(shared.stateDir);
  const outcome = await shared.pinned(async (state) => {
    let plan: RepairPlan;
    try {
      plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Swarm Raft: checking the log of ${name}` }, async (progress) =>
        runStepsInSlices(planRepairSteps(state, { at: options.at, onProgress: stepper(progress) })));
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot repair ${shared.stateDir}: ${(e as Error).message}`);
      return undefined;
    }
    const planText = repairReportText(plan);
    await showReport(planText);
    const go = options.confirm ?? (await confirmWrite(plan, output));
    if (!go) return { plan, planText };
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Swarm Raft: writing the repaired copy of ${name}` }, async (progress) =>
        runStepsInSlices(writeRepairSteps(state, plan, output, stepper(progress))));
      return { plan, planText, result };
    } catch (e) {
      void vscode.window.showErrorMessage(`The repaired copy could not be written (nothing was left in ${output}): ${(e as Error).message}`);
      return undefined;
    }
  });
  if (!outcome?.result) return outcome;
  const { result } = outcome;
  // The unlock key (if any) comes from SecretStorage, where the unlock flow keeps it, and is used once.
  const unlockKey = shared.clusterId ? await explorer.keys.get(shared.clusterId) : undefined;
  result.verification = verifyRepair(result.outDir, shared.openOptions(unlockKey));
  const reportText = repairReportText(outcome.plan, result);
  await showReport(reportText);
  explorer.log.info(`repaired ${shared.stateDir} into ${result.outDir} (kept up to index ${outcome.plan.kept.lastIndex})`);
  if (result.verification.length > 0) void vscode.window.showErrorMessage(`The repaired copy in ${result.outDir} does not read back clean: ${result.verification.join('; ')}`);
  else void vscode.window.showInformationMessage(`Repaired copy written to ${result.outDir} (up to index ${outcome.plan.kept.lastIndex}).`);
  return { ...outcome, reportText };
}

function stepper(progress: vscode.Progress<{ message?: string; increment?: number }>): (fraction: number, message: string) => void {
  let reported = 0;
  return (fraction, message) => {
    progress.report({ message, increment: Math.max(0, fraction * 100 - reported) });
    reported = Math.max(reported, fraction * 100);
  };
}

async function showReport(text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: false });
}

async function confirmWrite(plan: RepairPlan, output: string): Promise<boolean> {
  const lost = plan.lost.count > 0 ? ` ${plan.lost.count} entries after the cut are lost.` : '';
  const choice = await vscode.window.showWarningMessage(
    `Write the repaired copy to ${output}?`,
    { modal: true, detail: `Kept up to index ${plan.kept.lastIndex}.${lost} The plan is in the report document; the state directory is not changed.` },
    'Write the Copy',
  );
  return choice === 'Write the Copy';
}

/** A new (or empty) folder outside the state directory, named in a save dialog. */
function askOutput(stateDir: string): Promise<string | undefined> {
  return askOutputFolder({
    defaultPath: join(dirname(stateDir), `${basename(stateDir)}-repaired`),
    title: 'A new or empty folder for the repaired copy (outside the state directory)',
    saveLabel: 'Repair into This Folder',
    what: 'the copy',
    retrySuffix: '-repaired',
    check: (path) => checkRepairOutput(path, stateDir),
  });
}
