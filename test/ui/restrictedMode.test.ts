// A swarm copied from someone else's machine is opened in Restricted Mode (workspace trust on, folder not
// trusted): the extension declares `capabilities.untrustedWorkspaces: { supported: true }` (it only reads),
// so it stays enabled there: the .wal opens in the Raft editor, unlocks and decrypts, and the Raft Log
// tree lists it, with the workbench saying "Restricted Mode". Nothing is written to the copy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSession } from '../harness/session';
import { quickInput, webviewFrame } from '../harness/workbench';
import { activityIcon, copySwarm, expandTreeItem, hashTree, openFromExplorer, raftTreeItem, unlockKeyOf, waitForSwarmRaft } from './walkthroughSupport';

test('Restricted Mode: an untrusted copied swarm opens, unlocks and is browsed', async (t) => {
  const { dir, manifest } = copySwarm('seed-sample');
  const before = hashTree(dir);
  const session = await startSession({
    test: 'restricted-mode',
    folder: dir,
    workspaceTrust: true,
    // No trust dialog at start-up: the folder simply stays untrusted (Restricted Mode), with its banner.
    settings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' },
  });
  t.after(async () => {
    await session.shot('zz-end').catch(() => undefined);
    await session.close();
  });
  const { page } = session;
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
  await waitForSwarmRaft(page);
  await session.shot('01-restricted-mode');

  await openFromExplorer(page, ['raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal']);
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(unlockKeyOf(manifest));
  await page.keyboard.press('Enter');
  const editor = webviewFrame(page, 0);
  await editor.locator('text=Decrypted').first().waitFor();
  await editor.locator('.entry-row:not(.entry-header)', { hasText: 'UPDATE node' }).first().waitFor();
  await activityIcon(page).first().click();
  await raftTreeItem(page, '0000000000000000-0000000000000000.wal').first().waitFor();
  await expandTreeItem(page, 'Term 2');
  await raftTreeItem(page, '#14').first().waitFor();
  assert.ok(await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().isVisible(), 'still in Restricted Mode');
  await session.shot('02-unlocked-in-restricted-mode');
  assert.deepEqual(hashTree(dir), before, 'the state directory must be left exactly as it was');
});
