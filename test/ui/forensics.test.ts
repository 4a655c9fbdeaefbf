// Forensics in a real VS Code (code-server + Chromium) on a copy of the two-managers fixture's m1: the
// State tree at index 40 (Go to Index…), Compare with Previous from the tree's context menu (the diff
// editor on two read-only documents), and the size statistics charts. Screenshots in
// test-results/screenshots/forensics/; the copied state directory is unchanged at the end.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { quickInput, runCommand } from '../harness/workbench';
import { generatedCase } from '../support/fixtures';
import type { Locator, Page } from 'playwright-core';
import { activityIcon, hashTree, raftTreeItem, webviewWith, openWalSession } from './walkthroughSupport';

/** A row of the State tree, by the start of its label. */
function stateItem(page: Page, label: string): Locator {
  const pane = page.locator('.pane').filter({ has: page.locator('.pane-header').filter({ hasText: /^\s*State/ }) });
  return pane.locator(`.pane-body .monaco-list-row[aria-label^="${label}"]`).first();
}

async function expandState(page: Page, label: string): Promise<void> {
  const item = stateItem(page, label);
  await item.waitFor();
  if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
}


test('forensics: State tree at an index, a diff of two versions, size statistics', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'swarm-raft-ui-forensics-')), 'swarm');
  cpSync(join(generatedCase('two-managers'), 'm1', 'swarm'), dir, { recursive: true, preserveTimestamps: true });
  const before = hashTree(dir);
  const session = await openWalSession(t, 'forensics', dir);
  const { page } = session;
  await webviewWith(page, '.entries');
  await activityIcon(page).first().click();
  await raftTreeItem(page, '0000000000000000-0000000000000000.wal').first().waitFor();

  // Go to Index…: the State tree rebuilds the store at 40.
  await runCommand(page, 'Swarm Raft: Go to Index…');
  const input = quickInput(page);
  await input.waitFor();
  await input.fill('99');
  await page.locator('.quick-input-message', { hasText: 'from 0 to 77' }).waitFor();
  await input.fill('40');
  await page.keyboard.press('Enter');
  await page.locator('.pane-header', { hasText: 'at #40' }).first().waitFor();
  // The State view opens collapsed under the Raft Log: fold the Raft Log so the State rows have room.
  const raftLogHeader = page.locator('.pane-header', { hasText: /^\s*Raft Log/ }).first();
  if ((await raftLogHeader.getAttribute('aria-expanded')) === 'true') await raftLogHeader.click();
  await expandState(page, 'secret');
  await stateItem(page, 'secret utf8-m2').waitFor();
  await expandState(page, 'service');
  await session.shot('01-state-tree-at-40');

  // Compare with Previous from the context menu of a service updated since its creation.
  await runCommand(page, 'Swarm Raft: Show Latest State');
  await page.locator('.pane-header', { hasText: 'at #77 (latest)' }).first().waitFor();
  const spread = stateItem(page, 'service spread');
  await spread.waitFor();
  // The State tree rebuilds asynchronously after "Show Latest State": a context menu opened while a row
  // is replaced closes again, so open it until it stays.
  const item = page.getByRole('menuitem', { name: /^Compare with Previous$/ }).first();
  for (let attempt = 1; ; attempt++) {
    await spread.click({ button: 'right' });
    const shown = await item.waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (shown) break;
    if (attempt === 4) throw new Error('the State tree context menu never showed Compare with Previous');
    await page.keyboard.press('Escape');
  }
  await item.hover();
  await item.click();
  await page.locator('.monaco-diff-editor').first().waitFor();
  await page.locator('.tab.active', { hasText: '↔' }).first().waitFor();
  await page.waitForTimeout(800);
  await session.shot('02-diff-compare-with-previous');

  // Size statistics: charts drawn in the panel.
  await runCommand(page, 'Swarm Raft: Show Size Statistics');
  const stats = await webviewWith(page, 'svg.chart');
  await stats.locator('h3', { hasText: 'By object kind' }).waitFor();
  assert.ok((await stats.locator('svg.chart rect.bar').count()) > 10, 'bars are drawn');
  await page.waitForTimeout(500);
  await session.shot('03-size-statistics');

  assert.deepEqual(hashTree(dir), before, 'nothing was written into the state directory');
});
