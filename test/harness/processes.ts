// Child processes in their own process group, so teardown can kill a server with every helper it
// forked (code-server leaves file watchers and extension hosts behind if only its main pid dies).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const liveGroups = new Set<number>();

// Last line of defence: whatever way this process ends, no group we started outlives it.
process.on('exit', () => {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
});

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // group already gone
  }
}

function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/** Spawns `command` as the leader of a new process group (like setsid). */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  return child;
}

/** SIGTERM to the whole group, then SIGKILL after `graceMs` if anything is left. */
export async function killGroup(pgid: number | undefined, graceMs = 3000): Promise<void> {
  if (pgid === undefined) return;
  if (signalGroup(pgid, 'SIGTERM')) {
    const deadline = Date.now() + graceMs;
    while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  }
  liveGroups.delete(pgid);
}
