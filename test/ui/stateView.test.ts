// The State view as a new user meets it (issue #19, item 8), in a real VS Code on a copy of the
// two-managers fixture's m1: open under the Raft Log it gets a real share of the side bar; a click on
// an object shows it in the detail view (as the Raft Log does); Show History is in the context menu of a
// State object and of a Raft Log entry; task rows do not repeat their id; an entry filter names itself
// above the Raft Log tree. Screenshots in test-results/screenshots/state-view/.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { quickInput, runCommand } from '../harness/workbench';
import { generatedCase } from '../support/fixtures';
import { activityIcon, expandTreeItem, hashTree, openWalSession, raftTreeItem, webviewWith } from './walkthroughSupport';

function statePane(page: Page): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header').filter({ hasText: /^\s*State/ }) }).first();
}

function stateItem(page: Page, label: string): Locator {
  return statePane(page).locator(`.pane-body .monaco-list-row[aria-label^="${label}"]`).first();
}

/** Right-clicks `row` until its context menu shows `entry` (a tree that refreshes may close a menu). */
async function contextMenuShows(page: Page, row: Locator, entry: RegExp): Promise<Locator> {
  const item = page.getByRole('menuitem', { name: entry }).first();
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    if (await item.waitFor({ timeout: 5000 }).then(() => true, () => false)) return item;
    if (attempt === 4) throw new Error(`the context menu never showed ${String(entry)}`);
    await page.keyboard.press('Escape');
  }
}

test('State view: its size, detail on click, Show History in menus, task labels, the filter named', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'swarm-raft-ui-state-')), 'swarm');
  cpSync(join(generatedCase('two-managers'), 'm1', 'swarm'), dir, { recursive: true, preserveTimestamps: true });
  const before = hashTree(dir);
  const session = await openWalSession(t, 'state-view', dir);
  const { page } = session;
  await webviewWith(page, '.entries');
  await activityIcon(page).first().click();
  await raftTreeItem(page, '0000000000000000-0000000000000000.wal').first().waitFor();

  // Open from the start under the Raft Log (both expanded), the State view gets 2/5 of the side bar, not a handful of rows.
  const header = statePane(page).locator('.pane-header');
  assert.equal(await header.getAttribute('aria-expanded'), 'true', 'the State view is open by default');
  await stateItem(page, 'service').waitFor();
  const height = (await statePane(page).locator('.pane-body').boundingBox())!.height;
  const rows = Math.floor(height / 22);
  assert.ok(rows >= 12, `the State view shows ${rows} rows`);
  await stateItem(page, 'service').click();
  await stateItem(page, 'task').click();
  await session.shot('01-state-view-expanded');

  // Task rows: the name (<service>.<slot>.<task id>) is shown as <service>.<slot>, the id once beside it.
  const task = statePane(page).locator('.pane-body .monaco-list-row[aria-level="2"][aria-label^="task "]').first();
  await task.waitFor();
  const fullName = (await task.getAttribute('aria-label'))!.replace(/^task /, '');
  const label = (await task.locator('.label-name').innerText()).trim();
  const description = (await task.locator('.label-description').innerText()).trim();
  const id = fullName.split('.').pop()!;
  assert.ok(id.length >= 20, fullName);
  assert.equal(`${label}.${id}`, fullName);
  assert.ok(description.startsWith(`${id} · #`), `"${label}" / "${description}"`);

  // A click shows the object in the detail view, not in a text document.
  await stateItem(page, 'service spread').click();
  const detail = await webviewWith(page, '.detail >> text=spread');
  await detail.locator('text=UPDATE').first().waitFor();
  assert.equal(await page.locator('.tabs-container .tab', { hasText: '@' }).count(), 0, 'no object document opened');
  await session.shot('02-click-shows-detail');

  // Show History: in the State object's context menu and in a Raft Log entry's.
  const fromState = await contextMenuShows(page, stateItem(page, 'service spread'), /^Show History$/);
  await session.shot('03-state-context-menu');
  await fromState.click();
  await page.locator('.quick-input-widget', { hasText: 'History of service spread' }).waitFor();
  await page.keyboard.press('Escape');
  await expandTreeItem(page, 'Term 2');
  const entry = raftTreeItem(page, '#').filter({ hasText: 'service' }).first();
  await contextMenuShows(page, entry, /^Show History$/);
  await session.shot('04-entry-context-menu');
  await page.keyboard.press('Escape');

  // An entry filter names itself above the Raft Log tree.
  await runCommand(page, 'Swarm Raft: Filter Entries…');
  await quickInput(page).waitFor();
  await quickInput(page).fill('kind:secret');
  await page.keyboard.press('Enter');
  const message = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /^\s*Raft Log/ }) }).getByText(/^Filter: kind:secret · \d+ of \d+ entries$/);
  await message.first().waitFor();
  await session.shot('05-filter-named');
  await runCommand(page, 'Swarm Raft: Clear Entry Filter');
  await message.first().waitFor({ state: 'detached' });

  assert.deepEqual(hashTree(dir), before, 'nothing was written into the state directory');
});
