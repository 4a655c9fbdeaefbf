// Issue 19, item 3: nothing is clipped in a narrow editor. The log of the `snapshots` capture (three
// snapshots, several object kinds) opens in a 1400 px window with the detail view beside it; the
// overview's cards keep every column and count inside their borders, an overview taller than its area
// says there is more below, and the size statistics show every bar's value in the narrow group.
// Screenshots in test-results/screenshots/narrow-layout/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { runCommand } from '../harness/workbench';
import { copySwarm, hashTree, openWalSession, webviewWith } from './walkthroughSupport';

/** Elements of `selector` in the frame whose content is wider than their box, or that stick out of their card. */
async function clipped(frame: FrameLocator, selector: string): Promise<string[]> {
  return frame.locator('body').evaluate((body, sel) => {
    const out: string[] = [];
    for (const card of Array.from(body.querySelectorAll<HTMLElement>(sel))) {
      const name = card.querySelector('h3')?.textContent ?? card.className;
      if (card.scrollWidth > card.clientWidth + 1) out.push(`${name}: content ${card.scrollWidth} px wide in ${card.clientWidth} px`);
      const box = card.getBoundingClientRect();
      for (const v of Array.from(card.querySelectorAll<Element>('td, th, .bar-count, text.value'))) {
        const r = v.getBoundingClientRect();
        if (r.right > box.right + 1 || r.width === 0) out.push(`${name}: "${v.textContent}" ends at ${Math.round(r.right)} past ${Math.round(box.right)}`);
      }
    }
    return out;
  }, selector);
}

test('narrow editor beside the detail view: overview cards and size statistics are not clipped', async (t) => {
  const { dir } = copySwarm('snapshots');
  const before = hashTree(dir);
  const session = await openWalSession(t, 'narrow-layout', dir);
  const { page } = session;
  const editor = await webviewWith(page, '.entries');
  await editor.locator('.overview .card').first().waitFor();
  // A row of the table opens the detail view beside the editor: the editor gets half the window.
  await editor.locator('.entries [role="row"][aria-rowindex="3"]').first().click();
  await (await webviewWith(page, 'main.detail')).locator('text=Entry').first().waitFor();
  await page.waitForTimeout(1000);
  await session.shot('01-overview-beside-detail');
  const width = await editor.locator('body').evaluate((b) => b.clientWidth);
  assert.ok(width < 700, `the editor is narrow (${width} px)`);
  // Every problem is collected, then reported together.
  const problems = [...await clipped(editor, '.overview .card')];
  // The overview scrolls inside a bounded area: when it does, it says so.
  const overflow = await editor.locator('.overview').evaluate((o) => o.scrollHeight > o.clientHeight + 1);
  if (overflow && !(await editor.locator('.overview-more:not([hidden])').isVisible())) problems.push('the overview scrolls, and no cue says there is more below');
  await editor.locator('.overview').evaluate((o) => o.scrollTo(0, o.scrollHeight));
  await page.waitForTimeout(300);
  await session.shot('02-overview-scrolled');
  if (overflow && (await editor.locator('.overview-more[hidden]').count()) !== 1) problems.push('scrolled to the end, a cue still says there is more');

  await runCommand(page, 'Swarm Raft: Show Size Statistics');
  const stats = await webviewWith(page, '.totals');
  await stats.locator('.card').first().waitFor();
  await page.waitForTimeout(500);
  await session.shot('03-size-statistics-narrow');
  const statsWidth = await stats.locator('body').evaluate((b) => b.clientWidth);
  assert.ok(statsWidth < 700, `the statistics are in the narrow group (${statsWidth} px)`);
  problems.push(...await clipped(stats, '.card'));
  assert.deepEqual(problems, [], 'nothing clipped');
  assert.deepEqual(hashTree(dir), before, 'nothing was written into the state directory');
});
