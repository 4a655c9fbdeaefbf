// The seed article's walk-through on `seed-sample`, in a real VS Code (code-server + Chromium): open the
// copied swarm folder, open the .wal, enter the unlock key at the prompt, find the passwd secret in the
// tree, reveal A2e5bc21 in the detail view, export from the command palette. Then a wrong key (told and
// asked again; Escape leaves the locked view), and an unlocked swarm (no prompt). Every step leaves a
// screenshot in test-results/screenshots/<test>/, and the copied state directory is unchanged at the end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notifications, quickInput, runCommand, waitForWorkbench, webviewFrame } from '../harness/workbench';
import { activityIcon, copySwarm, expandTreeItem, hashTree, raftTreeItem, unlockKeyOf, webviewWith, openWalSession } from './walkthroughSupport';


test('walk-through: unlock, find the passwd secret, reveal it, export', async (t) => {
  const { dir, manifest } = copySwarm('seed-sample');
  const before = hashTree(dir);
  const session = await openWalSession(t, 'walkthrough', dir);
  const { page } = session;
  // The editor opens with the locked view and the unlock prompt on top of it.
  const input = quickInput(page);
  await input.waitFor();
  assert.equal(await input.getAttribute('type'), 'password');
  // Behind the prompt, the editor shows the locked view (index, term and type need no key).
  await webviewFrame(page, 0).locator('text=Locked').first().waitFor();
  await input.fill('SWMKEY-1-tooshort');
  await page.locator('.quick-input-message', { hasText: 'expected 43 characters' }).waitFor();
  await page.waitForTimeout(300);
  await session.shot('01-unlock-prompt-validation');
  await input.fill(unlockKeyOf(manifest));
  await session.shot('02-unlock-key-entered');
  await page.keyboard.press('Enter');

  const editor = webviewFrame(page, 0);
  await editor.locator('text=Decrypted').first().waitFor();
  await session.shot('03-editor-unlocked');

  // The tree: entries by term; the secret was created before autolock, so its entry is under the retired
  // data key and the secret is read from the snapshot that covers it.
  await activityIcon(page).first().click();
  await raftTreeItem(page, '0000000000000000-0000000000000000.wal').first().waitFor();
  await expandTreeItem(page, 'Term 2');
  await raftTreeItem(page, '#12  encrypted with an earlier data key').first().waitFor();
  await expandTreeItem(page, 'Snapshot @13');
  await expandTreeItem(page, 'secret');
  await session.shot('04-tree-snapshot-secret');
  await raftTreeItem(page, 'secret passwd').first().click();

  const detail = webviewFrame(page, 1);
  await detail.locator('text=passwd').first().waitFor();
  await session.shot('05-detail-secret-hidden');
  assert.equal(await detail.locator('text=A2e5bc21').count(), 0, 'the secret must stay hidden until revealed');
  await detail.locator('.reveal-button').first().click();
  await detail.locator('.revealed-value', { hasText: 'A2e5bc21' }).waitFor();
  await session.shot('06-detail-secret-revealed');

  // Export from the command palette: redacted is preselected, then a new (read-only, in-memory) document.
  await runCommand(page, 'Swarm Raft: Export Decrypted Text');
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Redacted' }).waitFor();
  await page.waitForTimeout(300); // the quick pick fades in: let it finish before the README's screenshot
  await session.shot('07-export-redaction-choice');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Redacted' }).first().click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'New document' }).waitFor();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'New document' }).first().click();
  await page.locator('.monaco-editor .view-lines', { hasText: 'Entry Index=14, Term=2, Type=EntryNormal:' }).first().waitFor();
  await session.shot('08-export-untitled');

  // A window reload: the editor and the detail view come back, the stored unlock key opens the swarm
  // without a prompt, and the secret is hidden again.
  // The browser workbench saves its layout (open editors) to IndexedDB shortly after changes: let it.
  await page.waitForTimeout(3000);
  const reloadAndFindDetail = async (timeoutMs: number) => {
    await page.reload();
    await waitForWorkbench(page);
    // VS Code resolves a custom editor only when its tab is shown, and the restored detail view waits for
    // its Raft document: show the .wal tab (the export is the active one), then the detail.
    await page.locator('.tabs-container .tab', { hasText: '0000000000000000-0000000000000000.wal' }).first().click();
    await webviewWith(page, '.entry-table', timeoutMs);
    await page.locator('.tabs-container .tab', { hasText: 'secret passwd' }).first().click();
    return webviewWith(page, '.detail >> text=passwd', timeoutMs);
  };
  // code-server quirk, offline: after a reload the webview service worker sometimes fails to serve a
  // restored webview's resources (net::ERR_NAME_NOT_RESOLVED in the console) and the page stays blank;
  // a second reload registers it again. Not seen in desktop VS Code.
  const restoredDetail = await reloadAndFindDetail(20_000).catch(() => reloadAndFindDetail(30_000));
  await restoredDetail.locator('.reveal-button').first().waitFor();
  assert.equal(await quickInput(page).isVisible(), false, 'the stored unlock key opens the swarm after a reload');
  assert.equal(await restoredDetail.locator('text=A2e5bc21').count(), 0, 'revealed values do not survive a reload');
  await session.shot('09-after-reload');

  // Back in the Raft editor, its table lists the decrypted entries.
  await page.locator('.tabs-container .tab', { hasText: '0000000000000000-0000000000000000.wal' }).first().click();
  const restoredEditor = await webviewWith(page, '.entry-table');
  await restoredEditor.locator('text=Decrypted').first().waitFor();
  await restoredEditor.locator('.entry-row:not(.entry-header)', { hasText: 'UPDATE node vm' }).first().waitFor();
  await session.shot('10-editor-entries');

  assert.deepEqual(hashTree(dir), before, 'the state directory must be left exactly as it was');
});

test('walk-through: a wrong unlock key is refused and asked again; Escape keeps the locked view', async (t) => {
  const { dir } = copySwarm('seed-sample');
  const before = hashTree(dir);
  const session = await openWalSession(t, 'walkthrough-wrong-key', dir);
  const { page } = session;
  const input = quickInput(page);
  await input.waitFor();
  await input.fill('SWMKEY-1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'does not open this swarm' }).waitFor();
  await webviewFrame(page, 0).locator('text=Locked').first().waitFor();
  await page.waitForTimeout(300);
  await session.shot('01-wrong-key-asked-again');
  await page.keyboard.press('Escape');
  const editor = webviewFrame(page, 0);
  await editor.locator('text=Locked').first().waitFor();
  await activityIcon(page).first().click();
  await raftTreeItem(page, '0000000000000000-0000000000000000.wal').first().waitFor();
  await expandTreeItem(page, 'Term 2');
  await raftTreeItem(page, '#14  locked').first().waitFor();
  await session.shot('02-locked-view');
  await editor.locator('.entry-row:not(.entry-header)', { hasText: 'locked' }).first().waitFor();
  await session.shot('03-locked-entries');
  assert.deepEqual(hashTree(dir), before);
});

test('walk-through: an unlocked swarm opens without any prompt', async (t) => {
  const { dir } = copySwarm('synth-unlocked');
  const before = hashTree(dir);
  const session = await openWalSession(t, 'walkthrough-unlocked', dir);
  const { page } = session;
  const editor = webviewFrame(page, 0);
  await editor.locator('text=Decrypted').first().waitFor();
  assert.equal(await quickInput(page).isVisible(), false, 'no unlock prompt for a swarm that is not autolocked');
  assert.equal(await notifications(page).count(), 0);
  await activityIcon(page).first().click();
  await raftTreeItem(page, '0000000000000000-0000000000000000.wal').first().waitFor();
  await expandTreeItem(page, 'Term 2');
  await raftTreeItem(page, '#3  CREATE service').first().waitFor();
  await session.shot('01-unlocked-no-prompt');
  await editor.locator('.entry-row:not(.entry-header)', { hasText: 'CREATE' }).first().waitFor();
  await session.shot('02-unlocked-entries');
  assert.deepEqual(hashTree(dir), before);
});
