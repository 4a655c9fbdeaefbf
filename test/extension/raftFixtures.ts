// Fixtures for the extension-host tests. The suite is bundled into dist/test/extension/, so paths are
// found from the repository root (the folder with our package.json), not from __dirname. Tests open
// private copies of the corpus (never the fixtures themselves) and hash them to prove nothing was written.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { unpackArchive } from '../support/fixtures';
import { SwarmState } from '../../src/core/state/swarmState';
import type { Explorer } from '../../src/extension/context';
import type { SwarmRaftApi } from '../../src/extension/main';

export const extensionId = 'swarm-raft-explorer.swarm-raft-explorer';

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'swarm-raft-explorer') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no swarm-raft-explorer package.json above ${__dirname}`);
    dir = parent;
  }
}

export function corpusNames(): string[] {
  return readdirSync(join(repoRoot(), 'test', 'fixtures', 'corpus')).filter((f) => f.endsWith('.tar.gz')).map((f) => f.slice(0, -7)).sort();
}

/** The unpacked case (as corpusCase() of test/support/fixtures.ts, rooted at the repository). */
export function corpusDir(name: string): string {
  const root = repoRoot();
  return unpackArchive(join(root, 'test', 'fixtures', 'corpus', `${name}.tar.gz`), join(root, '.fixtures', 'corpus'), name);
}

export interface CaseCopy {
  /** The temp folder holding the copied captures (`swarm`, maybe `swarm-live`). */
  root: string;
  /** Copied state directory of a capture. */
  capture(name?: string): string;
  /** The reference's output for a capture and command, or undefined when it failed (rc != 0). */
  expected(command: string, capture?: string): string | undefined;
  manifest: Record<string, unknown>;
  unlockKey?: string;
  remove(): void;
}

export function copyCase(name: string): CaseCopy {
  const source = corpusDir(name);
  const root = mkdtempSync(join(tmpdir(), `swarm-raft-ext-${name}-`));
  const captures = readdirSync(source).filter((d) => d === 'swarm' || d === 'swarm-live');
  for (const c of captures) cpSync(join(source, c), join(root, c), { recursive: true, preserveTimestamps: true });
  const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const keys = manifest.unlock_keys as { current?: string } | undefined;
  const unlockKey = typeof manifest.unlock_key === 'string' ? manifest.unlock_key : keys?.current ?? undefined;
  return {
    root,
    capture: (c = 'swarm') => join(root, c),
    expected: (command, capture = 'swarm') => {
      const base = join(source, 'expected', capture, command);
      if (!existsSync(`${base}.rc`) || readFileSync(`${base}.rc`, 'utf8').trim() !== '0') return undefined;
      return readFileSync(`${base}.txt`, 'utf8');
    },
    manifest,
    unlockKey: unlockKey ?? undefined,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Captures present in a copied case. */
export function capturesOf(copy: CaseCopy): string[] {
  return readdirSync(copy.root).filter((d) => d === 'swarm' || d === 'swarm-live');
}

/** The .wal and .snap files of a state directory (the ones the custom editor is for). */
export function raftFiles(stateDir: string): string[] {
  const raft = join(stateDir, 'raft');
  const out: string[] = [];
  for (const dir of readdirSync(raft)) {
    for (const f of readdirSync(join(raft, dir))) if (/\.(wal|snap)$/.test(f)) out.push(join(raft, dir, f));
  }
  return out.sort();
}

/** Path -> sha256, size and mtime of every file under `dir`. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out.set(`${relative(dir, p)}/`, 'dir');
        walk(p);
      } else {
        const st = statSync(p);
        out.set(relative(dir, p), `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.size} ${st.mtimeMs} ${st.mode}`);
      }
    }
  };
  walk(dir);
  return out;
}

export async function api(): Promise<SwarmRaftApi> {
  const ext = vscode.extensions.getExtension<SwarmRaftApi>(extensionId);
  if (!ext) throw new Error(`${extensionId} is not loaded`);
  return ext.activate();
}

/**
 * Stores `unlockKey` in SecretStorage for the cluster of `stateDir` (read from its certificate), as a
 * user's earlier unlock would have; returns the cluster id. Nothing is stored without a key or cluster.
 */
export async function storeUnlockKeyFor(explorer: Explorer, stateDir: string, unlockKey: string | undefined): Promise<string | undefined> {
  const probe = SwarmState.open(stateDir);
  const clusterId = probe.identity.clusterId;
  probe.close();
  if (unlockKey && clusterId) await explorer.keys.store(clusterId, unlockKey);
  return clusterId;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
