// What the cluster loses: the store actions of the entries a repair leaves out, summed per object, with
// the version each object has in the state the copy keeps ("service web: 2 updates lost, last kept
// version 14"). Memory grows with the objects touched, not with the entries.
import type { ActionSummary } from '../model/objects';
import type { SwarmState } from '../state/swarmState';
import { replayStore } from '../store/replay';
import { toU64 } from '../codec';
import type { ObjectKind } from '../model/objects';
import type { LostEntries, ObjectLoss } from './model';

export class LossTally {
  private readonly objects = new Map<string, ObjectLoss>();

  add(action: ActionSummary): void {
    if (action.kind === 'unknown') return;
    const key = `${action.kind}\0${action.id}`;
    let loss = this.objects.get(key);
    if (!loss) this.objects.set(key, (loss = { kind: action.kind, id: action.id, name: action.name, creates: 0, updates: 0, removes: 0 }));
    if (action.name) loss.name = action.name;
    if (action.action === 'CREATE') loss.creates++;
    else if (action.action === 'UPDATE') loss.updates++;
    else if (action.action === 'REMOVE') loss.removes++;
  }

  /** The losses, with each object's version in the state at `lastKept` (a replay, only when something was lost). */
  finish(state: SwarmState, lastKept: bigint, counts: Omit<LostEntries, 'objects'>): LostEntries {
    const objects = [...this.objects.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (objects.length > 0) {
      try {
        const store = replayStore(state, { at: lastKept, lenient: true });
        for (const loss of objects) {
          const kept = store.get(loss.kind as ObjectKind, loss.id) as unknown as { meta?: { version?: { index?: never } } } | undefined;
          if (kept) loss.lastKeptVersion = toU64(kept.meta?.version?.index);
        }
      } catch {
        // Without the kept state the counts still say what is lost.
      }
    }
    return { ...counts, objects };
  }
}

/** "service web: 2 updates lost, last kept version 14" */
export function describeLoss(loss: ObjectLoss): string {
  const parts: string[] = [];
  if (loss.creates) parts.push(loss.creates === 1 ? 'created' : `${loss.creates} creates`);
  if (loss.updates) parts.push(`${loss.updates} update${loss.updates === 1 ? '' : 's'}`);
  if (loss.removes) parts.push('removal');
  const name = loss.name || loss.id;
  const state = loss.lastKeptVersion !== undefined ? `last kept version ${loss.lastKeptVersion}` : 'not in the copy';
  return `${loss.kind} ${name}: ${parts.join(', ')} lost, ${state}`;
}
