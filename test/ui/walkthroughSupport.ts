// Helpers of the walk-through UI tests: a private copy of a corpus swarm (the tests open copies, never
// the fixtures), a hash of every file in it (to prove the extension wrote nothing), and workbench steps.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { corpusCase } from '../support/fixtures';
import { explorerItem, waitForExtension, webviewFrame } from '../harness/workbench';
import { startSession, type Session } from '../harness/session';

/** Copies `<case>/swarm` to a fresh temp folder named `swarm`; returns its path and the case manifest. */
export function copySwarm(name: string): { dir: string; manifest: Record<string, unknown> } {
  const source = corpusCase(name);
  const dir = join(mkdtempSync(join(tmpdir(), `swarm-raft-ui-${name}-`)), 'swarm');
  cpSync(join(source, 'swarm'), dir, { recursive: true, preserveTimestamps: true });
  return { dir, manifest: JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as Record<string, unknown> };
}

/** Path -> sha256 (plus size and mtime) of every file under `dir`: any write, rename or new file changes it. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        out.set(relative(dir, p), `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

export function unlockKeyOf(manifest: Record<string, unknown>): string {
  const direct = manifest.unlock_key;
  if (typeof direct === 'string') return direct;
  const keys = manifest.unlock_keys as { current?: string } | undefined;
  if (keys?.current) return keys.current;
  throw new Error('the case has no unlock key');
}

/** The Swarm Raft activity-bar entry (present once the extension's contributions are registered). */
export function activityIcon(page: Page): Locator {
  return page.locator('.part.activitybar .action-item a[aria-label^="Swarm Raft"], .part.activitybar .action-item[aria-label^="Swarm Raft"]');
}

export async function waitForSwarmRaft(page: Page): Promise<void> {
  await waitForExtension(page, activityIcon(page));
}

/** Opens raft/<walDir>/<file> from the explorer by double-click, expanding the folders on the way. */
export async function openFromExplorer(page: Page, path: string[]): Promise<void> {
  for (const folder of path.slice(0, -1)) {
    const item = explorerItem(page, folder);
    await item.waitFor();
    if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
  }
  const file = explorerItem(page, path[path.length - 1]);
  await file.waitFor();
  await file.dblclick();
}

/** A row of the Raft Log tree (not of other views of the container), by the start of its label. */
export function raftTreeItem(page: Page, label: string): Locator {
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Raft Log/ }) });
  return pane.locator(`.pane-body .monaco-list-row[aria-label^="${label.replace(/"/g, '\\"')}"]`);
}

export async function expandTreeItem(page: Page, label: string): Promise<void> {
  const item = raftTreeItem(page, label).first();
  await item.waitFor();
  if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
}

/** The webview (editor or detail) whose page holds `selector`, whatever order the workbench created them in. */
export async function webviewWith(page: Page, selector: string, timeoutMs = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = webviewFrame(page, i);
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(200);
  }
}

/**
 * A session on `dir` with the first WAL segment opened from the explorer: the start every walk-through
 * shares. The session closes (after an end screenshot) when the test does.
 */
export async function openWalSession(t: { after(fn: () => Promise<void>): void }, test: string, dir: string): Promise<Session> {
  const session = await startSession({ test, folder: dir });
  t.after(async () => {
    await session.shot('zz-end').catch(() => undefined);
    await session.close();
  });
  await waitForSwarmRaft(session.page);
  await openFromExplorer(session.page, ['raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal']);
  return session;
}
