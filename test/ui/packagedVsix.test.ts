// What users install is the .vsix: this test packages it (`npm run package`: production bundles, vsce),
// installs it into a fresh code-server with `--install-extension` (not the development folder), and walks
// through it there: the Getting Started walkthrough shows its five steps, then a copied swarm is opened,
// unlocked, its passwd secret revealed, and exported. Afterwards the development bundles are built again
// (packaging replaced dist/ with production ones), so the UI tests after this one run on what they expect.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../harness/paths';
import { startSession } from '../harness/session';
import { quickInput, runCommand, webviewFrame } from '../harness/workbench';
import { activityIcon, copySwarm, expandTreeItem, hashTree, openFromExplorer, raftTreeItem, unlockKeyOf, waitForSwarmRaft } from './walkthroughSupport';

const STEPS = ['Open a copied swarm', 'Unlock an autolocked swarm', 'Explore the log and the state', 'Reveal a secret', 'Export the decrypted log'];

test('the packaged .vsix, installed with --install-extension: Get Started, open, unlock, reveal, export', async (t) => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const vsix = join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
  t.after(() => {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'ignore' });
  });
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs')], { cwd: repoRoot, stdio: 'ignore' });
  assert.ok(existsSync(vsix), `${vsix} was built`);

  const { dir, manifest } = copySwarm('seed-sample');
  const before = hashTree(dir);
  const session = await startSession({ test: 'packaged-vsix', folder: dir, vsix });
  t.after(async () => {
    await session.shot('zz-end').catch(() => undefined);
    await session.close();
  });
  const { page } = session;
  // Installed as a user's extension is: unpacked from the .vsix (a folder, not a link to this repository),
  // holding the bundles and no sources or tests.
  const installed = join(session.server.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  assert.ok(existsSync(installed) && !lstatSync(installed).isSymbolicLink(), `${installed} is an unpacked .vsix`);
  assert.ok(existsSync(join(installed, 'dist', 'extension.js')));
  assert.ok(!existsSync(join(installed, 'src')) && !existsSync(join(installed, 'test')));
  await waitForSwarmRaft(page);

  // The walkthrough, from the command palette.
  await runCommand(page, 'Swarm Raft: Get Started');
  const walkthrough = page.locator('.gettingStartedContainer');
  await walkthrough.getByText('Swarm Raft Explorer', { exact: true }).first().waitFor();
  for (const step of STEPS) await walkthrough.getByText(step, { exact: true }).first().waitFor();
  await session.shot('01-get-started');
  await walkthrough.getByText('Reveal a secret', { exact: true }).first().click();
  await walkthrough.getByText('until you press').first().waitFor();
  await session.shot('02-get-started-reveal-step');

  // Open the copy, unlock at the prompt.
  await openFromExplorer(page, ['raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal']);
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(unlockKeyOf(manifest));
  await page.keyboard.press('Enter');
  await webviewFrame(page, 0).locator('text=Decrypted').first().waitFor();
  await session.shot('03-unlocked');

  // Reveal the passwd secret from the snapshot in the detail view.
  await activityIcon(page).first().click();
  await expandTreeItem(page, 'Snapshot @13');
  await expandTreeItem(page, 'secret');
  await raftTreeItem(page, 'secret passwd').first().click();
  const detail = webviewFrame(page, 1);
  await detail.locator('text=passwd').first().waitFor();
  assert.equal(await detail.locator('text=A2e5bc21').count(), 0, 'hidden until revealed');
  await detail.locator('.reveal-button').first().click();
  await detail.locator('.revealed-value', { hasText: 'A2e5bc21' }).waitFor();
  await session.shot('04-revealed');

  // Export: redacted, to a new (read-only) document.
  await runCommand(page, 'Swarm Raft: Export Decrypted Text');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Redacted' }).first().click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'New document' }).first().click();
  await page.locator('.monaco-editor .view-lines', { hasText: 'Entry Index=14, Term=2, Type=EntryNormal:' }).first().waitFor();
  await session.shot('05-exported');
  assert.deepEqual(hashTree(dir), before, 'the state directory must be left exactly as it was');
});
