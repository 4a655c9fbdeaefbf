// Secrets stay where they belong: a whole session with a known unlock key and a known secret value
// (unlock, browse, reveal the secret, export redacted, export full to a document, reload the window)
// writes none of them — nor the data key — into any file the run leaves behind: code-server's user data
// (settings, global state, logs and output channels, hot exit's backups), the browser profile, temp dirs,
// and the run's own logs. Only SecretStorage holds the unlock key, and there it is encrypted.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SwarmState } from '../../src/core/state/swarmState';
import { resultsDir } from '../harness/paths';
import { startSession } from '../harness/session';
import { quickInput, runCommand, waitForWorkbench, webviewFrame } from '../harness/workbench';
import { activityIcon, copySwarm, expandTreeItem, openFromExplorer, raftTreeItem, unlockKeyOf, waitForSwarmRaft, webviewWith } from './walkthroughSupport';

const WAL = ['raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal'];
const SNAP = ['raft', 'snap-v3-encrypted', '0000000000000002-000000000000000d.snap'];
const SECRET = 'A2e5bc21';

test('no unlock key, data key or revealed secret reaches any file the session wrote', async () => {
  // Every scratch folder of this run (server, browser profile, TMPDIR) goes under one root we then search.
  const root = mkdtempSync(join(tmpdir(), 'swarm-raft-leak-'));
  const savedTmp = process.env.TMPDIR;
  const savedKeep = process.env.SWARM_RAFT_KEEP_SCRATCH;
  process.env.TMPDIR = root;
  process.env.SWARM_RAFT_KEEP_SCRATCH = '1';
  const { dir, manifest } = copySwarm('seed-sample');
  const unlockKey = unlockKeyOf(manifest);
  const state = SwarmState.open(dir, { unlockKey });
  const dataKey = Buffer.from(state.keyRing.keys[0].key);
  state.close();
  const needles = [
    unlockKey, unlockKey.slice('SWMKEY-1-'.length),
    Buffer.from(unlockKey.slice('SWMKEY-1-'.length), 'base64').toString('hex'),
    dataKey.toString('base64'), dataKey.toString('hex'), SECRET,
  ];

  const session = await startSession({ test: 'secrets-leak', folder: dir });
  try {
    const { page } = session;
    await waitForSwarmRaft(page);
    await openFromExplorer(page, WAL);
    const input = quickInput(page);
    await input.waitFor();
    await input.fill(unlockKey);
    await page.keyboard.press('Enter');
    await webviewFrame(page, 0).locator('text=Decrypted').first().waitFor();
    await activityIcon(page).first().click();
    await expandTreeItem(page, 'Snapshot @13');
    await expandTreeItem(page, 'secret');
    await raftTreeItem(page, 'secret passwd').first().click();
    const detail = webviewFrame(page, 1);
    await detail.locator('.reveal-button').first().click();
    await detail.locator('.revealed-value', { hasText: SECRET }).waitFor();
    await runCommand(page, 'Swarm Raft: Export Decrypted Text');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Redacted' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'New document' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'Entry Index=14' }).first().waitFor();
    // A full export of the snapshot (which holds the secret) to a document, then a reload: hot exit backs
    // up what it considers unsaved work, and the secret must not be part of it.
    await runCommand(page, 'View: Show Explorer');
    await openFromExplorer(page, SNAP);
    await webviewWith(page, 'text=Snapshot (.snap)');
    await runCommand(page, 'Swarm Raft: Export Decrypted Text');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Full' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'New document' }).first().click();
    // The snapshot's text starts with its members (the secret is further down, out of view).
    await page.locator('.monaco-editor .view-lines', { hasText: 'Active members:' }).first().waitFor();
    await session.shot('01-full-export');
    await runCommand(page, 'Developer: Reload Window');
    await waitForWorkbench(page);
    await waitForSwarmRaft(page);
    // Give the workbench time to flush state, backups and logs to disk, as it would during a session.
    await page.waitForTimeout(4000);
    await session.shot('02-after-reload');
  } finally {
    await session.close();
    process.env.TMPDIR = savedTmp;
    if (savedKeep === undefined) delete process.env.SWARM_RAFT_KEEP_SCRATCH;
    else process.env.SWARM_RAFT_KEEP_SCRATCH = savedKeep;
  }

  const searched = { files: 0, bytes: 0 };
  const hits: string[] = [];
  const search = (path: string) => {
    for (const name of readdirSync(path)) {
      const p = join(path, name);
      const st = lstatSync(p, { throwIfNoEntry: false }); // links (the installed extension is one to this repo) are not what the run wrote
      if (!st) continue;
      if (st.isDirectory()) {
        search(p);
      } else if (st.isFile() && st.size < 256 * 1024 * 1024) {
        const bytes = readFileSync(p);
        searched.files++;
        searched.bytes += bytes.length;
        for (const n of needles) if (bytes.includes(n) || bytes.includes(Buffer.from(n, 'utf16le'))) hits.push(`${p}: ${n === SECRET ? 'the secret value' : 'key material'}`);
      }
    }
  };
  // The copied state dir holds only ciphertext; everything else under the root was written by the run.
  for (const name of readdirSync(root)) if (join(root, name) !== join(dir, '..')) search(join(root, name));
  search(join(resultsDir, 'logs'));
  console.log(`searched ${searched.files} files, ${(searched.bytes / 1e6).toFixed(1)} MB`);
  assert.ok(searched.files > 20, 'the session wrote user data, logs and a browser profile');
  assert.deepEqual(hits, []);
  rmSync(root, { recursive: true, force: true });
});
