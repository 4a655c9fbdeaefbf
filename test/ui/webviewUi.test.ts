// The webview app in plain Chromium with the fake host (no VS Code): virtualization at 100k rows,
// keyboard navigation, selection sync, filter, state restore, reveal, tabs, field-tree keys, XSS and
// CSP. Screenshots in light, dark and high-contrast themes go to test-results/webview/.
// Skipped when /usr/bin/chromium (or $CHROMIUM_PATH) is missing. Needs `node scripts/build.mjs` first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { WebviewToHost } from '../../src/shared/protocol';
import { resultsPath, repoRoot } from '../harness/paths';
import { fakeHostScript, launchChromium, openView, startHarnessServer, type HarnessServer, type OpenedView } from './webviewHarness';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = !existsSync(chromiumPath) ? `no Chromium at ${chromiumPath}` : !existsSync(join(repoRoot, 'dist', 'webview.js')) ? 'dist/webview.js not built' : false;
const THEMES = ['light', 'dark', 'hc'] as const;
const XSS = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';

let server: HarnessServer;
let browser: Browser;
let hostScript: string;
const opened: OpenedView[] = [];

async function open(view: 'editor' | 'detail', params: Record<string, string | number>, viewport?: { width: number; height: number }): Promise<OpenedView> {
  const v = await openView(browser, server.url(view, params), hostScript, viewport);
  opened.push(v);
  return v;
}

function posted(page: Page): Promise<WebviewToHost[]> {
  return page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
}

async function lastPosted(page: Page, type: WebviewToHost['type']): Promise<WebviewToHost | undefined> {
  return (await posted(page)).filter((m) => m.type === type).at(-1);
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(resultsPath('webview'), `${name}.png`), fullPage });
}

/** No dialogs, console errors or CSP violations, and no element that injected markup would create. */
async function assertClean(v: OpenedView): Promise<void> {
  const violations = await v.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  assert.deepEqual(violations, [], 'CSP violations');
  assert.deepEqual(v.problems, [], 'console errors, page errors or dialogs');
  assert.equal(await v.page.locator('img, svg[onload], b').count(), 0, 'markup from data reached the DOM');
}

async function waitRows(page: Page): Promise<void> {
  await page.locator('.entry-layer .entry-row:not(.placeholder)').first().waitFor();
}

describe('webview app in Chromium', { skip }, () => {
  before(async () => {
    server = await startHarnessServer();
    hostScript = await fakeHostScript();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('editor: screenshots in each theme, XSS names stay text, no CSP violation', async () => {
    for (const theme of THEMES) {
      const v = await open('editor', { rows: 5000, theme });
      await waitRows(v.page);
      await v.page.locator('.entry-table').focus();
      await v.page.keyboard.press('ArrowDown');
      await v.page.keyboard.press('ArrowDown');
      await v.page.keyboard.press('Enter');
      await shot(v.page, `editor-${theme}`);
      const summary = await v.page.locator('#entry-5 .col-summary').textContent();
      assert.equal(summary, `CREATE service ${XSS}`);
      await assertClean(v);
    }
  });

  test('editor: 100k rows keep a small DOM; keys, clicks and host selection', async () => {
    const v = await open('editor', { rows: 100_000, theme: 'dark' });
    const { page } = v;
    await waitRows(page);
    assert.equal(await page.locator('.entry-count').textContent(), '100,000 entries');
    const domRows = () => page.locator('.entry-layer .entry-row').count();
    assert.ok((await domRows()) < 80, `too many rows in the DOM: ${await domRows()}`);

    const table = page.locator('.entry-table');
    await table.focus();
    await page.keyboard.press('End');
    await page.locator('#entry-99999:not(.placeholder)').waitFor();
    assert.equal(await table.getAttribute('aria-activedescendant'), 'entry-99999');
    assert.equal(await page.locator('#entry-99999').getAttribute('aria-rowindex'), '100001');
    assert.ok((await domRows()) < 80);
    await shot(page, 'editor-100k-end');

    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    const afterPage = Number((await table.getAttribute('aria-activedescendant'))?.slice('entry-'.length));
    assert.ok(afterPage > 10 && afterPage < 60, `PageDown moved to ${afterPage}`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(page, 'select'), { type: 'select', seq: afterPage - 1 });

    await page.locator('#entry-3').click();
    assert.deepEqual(await lastPosted(page, 'select'), { type: 'select', seq: 3 });

    // The host selects an entry far away: the table scrolls to it and highlights it.
    await page.evaluate(() => (window as unknown as { __host: { send(m: unknown): void } }).__host.send({ type: 'select', seq: 54321 }));
    await page.locator('#entry-54321.selected:not(.placeholder)').waitFor();
    assert.equal(await page.locator('#entry-54321 .col-index').textContent(), '54320');
    const box = await page.locator('#entry-54321').boundingBox();
    const view = await page.locator('.entry-scroller').boundingBox();
    assert.ok(box && view && box.y >= view.y && box.y + box.height <= view.y + view.height + 1, 'selected row is in view');
    await shot(page, 'editor-100k-host-select');

    // Reload: scroll position, cursor and selection come back from the saved state.
    await page.reload();
    await page.locator('#entry-54321.selected:not(.placeholder)').waitFor();
    assert.ok((await domRows()) < 80);
    await assertClean(v);
  });

  test('editor: a narrow editor keeps the summary column readable', async () => {
    const v = await open('editor', { rows: 500, theme: 'light' }, { width: 520, height: 700 });
    const { page } = v;
    await waitRows(page);
    await shot(page, 'editor-narrow');
    const summary = await page.locator('#entry-2 .col-summary').boundingBox();
    assert.ok(summary && summary.width > 150, `summary width ${summary?.width}`);
    assert.equal(await page.locator('#entry-2 .col-term').isVisible(), false);
    await assertClean(v);
  });

  test('editor: filter asks the host with the filter and shows the matches', async () => {
    const v = await open('editor', { rows: 5000, theme: 'light' });
    const { page } = v;
    await waitRows(page);
    await page.locator('.filter-field input').fill('secret');
    await page.locator('.entry-count', { hasText: 'matching' }).waitFor();
    const request = await lastPosted(page, 'getRows');
    assert.equal(request?.type === 'getRows' && request.filter, 'secret');
    const summaries = await page.locator('.entry-layer .entry-row:not(.placeholder) .col-summary').allTextContents();
    assert.ok(summaries.length > 0 && summaries.every((s) => s.toLowerCase().includes('secret')), summaries.join('|'));
    await shot(page, 'editor-filtered');
    await page.reload();
    await page.locator('.entry-count', { hasText: 'matching' }).waitFor();
    assert.equal(await page.locator('.filter-field').evaluate((f) => (f as HTMLInputElement).value), 'secret');
    await page.locator('.filter-field input').press('Escape');
    await page.locator('.entry-count', { hasText: '5,000 entries' }).waitFor();
    await assertClean(v);
  });

  test('editor: rows asked before the file is decoded come once the overview arrives, at the saved scroll', async () => {
    const v = await open('editor', { rows: 5000, theme: 'dark', modelDelay: 400 });
    const { page } = v;
    await waitRows(page);
    await page.locator('.entry-scroller').evaluate((s) => { s.scrollTop = 22 * 1000; });
    await page.locator('#entry-1000:not(.placeholder)').waitFor();
    await page.waitForTimeout(300); // the trailing state save
    await page.reload();
    await page.locator('#entry-1000:not(.placeholder)').waitFor();
    assert.equal(await page.locator('.entry-count').textContent(), '5,000 entries');
    await assertClean(v);
  });

  test('editor: locked key shows Unlock…, which posts the command and reloads rows', async () => {
    const v = await open('editor', { rows: 300, theme: 'dark', locked: '1' });
    const { page } = v;
    await waitRows(page);
    await shot(page, 'editor-locked');
    const before = (await posted(page)).filter((m) => m.type === 'getRows').length;
    await page.locator('.unlock-button').click();
    assert.deepEqual(await lastPosted(page, 'command'), { type: 'command', command: 'unlock' });
    await page.locator('.tone-ok', { hasText: 'Decrypted' }).waitFor();
    await waitRows(page);
    assert.ok((await posted(page)).filter((m) => m.type === 'getRows').length > before, 'rows requested again after the new overview');
    await page.getByText('Export JSON').click();
    assert.deepEqual(await lastPosted(page, 'command'), { type: 'command', command: 'exportJson' });
    await assertClean(v);
  });

  test('detail: secret hidden until revealed, text/hex toggle, copy, links; screenshots per theme', async () => {
    for (const theme of THEMES) {
      const v = await open('detail', { seq: 3, theme });
      const { page } = v;
      await page.locator('.hidden-value').waitFor();
      assert.match((await page.locator('.hidden-value').textContent()) ?? '', /hidden \(8 B\)/);
      assert.equal(await page.getByText('hunter2').count(), 0);
      await page.locator('.reveal-button').click();
      await page.locator('.revealed-value').waitFor();
      assert.equal(await page.locator('.revealed-value').textContent(), 'hunter2\n');
      const reveal = await lastPosted(page, 'reveal');
      assert.ok(reveal?.type === 'reveal' && reveal.seq === 3 && reveal.revealPath === 'spec.data');
      await shot(page, `detail-${theme}`, true);
      await page.getByText('Show hex').click();
      assert.match((await page.locator('.revealed-value').textContent()) ?? '', /^00000000 {2}68 75 6e 74 65 72 32 0a$/);
      await page.locator('.revealed-actions vscode-button', { hasText: 'Copy' }).click();
      assert.deepEqual(await lastPosted(page, 'copy'), { type: 'copy', text: '68756e746572320a' });
      await page.locator('.object-link').nth(1).click();
      const link = await lastPosted(page, 'openObject');
      assert.ok(link?.type === 'openObject' && link.kind === 'service');
      assert.equal(await page.locator('.object-link').nth(1).textContent(), `service ${XSS}`);
      await assertClean(v);
    }
  });

  test('detail: tabs, tree keys and their restore after reload', async () => {
    const v = await open('detail', { seq: 5, theme: 'dark' });
    const { page } = v;
    await page.locator('.field-tree').waitFor();
    assert.equal(await page.locator('.action-name').textContent(), XSS);
    // Keyboard: first item, down to "meta", expand it with ArrowRight, into its first child.
    await page.locator('[role="treeitem"]').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    const meta = page.locator('[role="treeitem"][data-path="1"]');
    assert.equal(await meta.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-path')), '1.0');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-path')), '1');
    await page.keyboard.press('Control+c');
    const copied = await lastPosted(page, 'copy');
    assert.ok(copied?.type === 'copy' && copied.text.includes('"created_at"'));
    // Collapsed branches are built on first expansion; labels with markup stay text.
    const tree = page.locator('.field-tree');
    assert.equal(await tree.getByText('"><svg onload=alert(3)>').count(), 0, 'collapsed branch is not rendered yet');
    await page.locator('[data-path="2.0"] > .field-row').click();
    await page.locator('[data-path="2.0.1"] > .field-row').click();
    assert.equal(await tree.locator('[data-path="2.0.1.0"] .field-name').textContent(), '</script><b>x</b>');
    assert.equal(await tree.locator('[data-path="2.0.1.0"] .field-value').textContent(), '"><svg onload=alert(3)>');
    await shot(page, 'detail-tree-keys', true);

    await page.locator('vscode-panel-tab', { hasText: 'JSON' }).click();
    await page.locator('.panel-json .code').waitFor({ state: 'visible' });
    assert.match((await page.locator('.panel-json .code').textContent()) ?? '', /"spec"/);
    await shot(page, 'detail-json');
    await page.reload();
    await page.locator('.panel-json .code').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[role="treeitem"][data-path="1"]').getAttribute('aria-expanded'), 'true');
    await assertClean(v);
  });

  test('detail: conf change and unreadable entries', async () => {
    const conf = await open('detail', { seq: 0, theme: 'light' });
    await conf.page.getByText('Configuration change').waitFor();
    assert.equal(await conf.page.getByText('10.0.0.2:2377').count(), 1);
    await shot(conf.page, 'detail-confchange');
    await assertClean(conf);

    const locked = await open('detail', { seq: 7, theme: 'dark' });
    await locked.page.getByText('Unreadable (locked)').waitFor();
    await locked.page.locator('.notice vscode-button').click();
    assert.deepEqual(await lastPosted(locked.page, 'command'), { type: 'command', command: 'unlock' });
    await shot(locked.page, 'detail-locked');
    await assertClean(locked);
  });
});
