// The webview app inside a real VS Code (code-server, oldest and newest supported versions), dark theme:
// the editor's table works from the keyboard, Enter opens the entry in the detail view, the toolkit's
// components are defined and themed, and the page reports no Content-Security-Policy violation.
// Screenshots: test-results/screenshots/webview-in-vscode-<which>/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSession } from '../harness/session';
import { webviewFrame } from '../harness/workbench';
import { copySwarm, openFromExplorer, waitForSwarmRaft, webviewWith } from './walkthroughSupport';

const WAL = ['raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal'];

for (const which of ['oldest', 'newest']) {
  test(`webview in VS Code (${which}): keyboard, detail, toolkit, CSP`, async (t) => {
    const { dir } = copySwarm('synth-unlocked');
    const session = await startSession({
      test: `webview-in-vscode-${which}`, folder: dir, which,
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    });
    t.after(async () => {
      await session.shot('zz-end').catch(() => undefined);
      await session.close();
    });
    const { page } = session;
    // Console messages of every frame, webviews included: CSP violations are reported there.
    const csp: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) csp.push(m.text()); });

    await waitForSwarmRaft(page);
    await openFromExplorer(page, WAL);
    const editor = webviewFrame(page, 0);
    await editor.locator('text=Decrypted').first().waitFor();
    await editor.locator('.entry-layer .entry-row:not(.placeholder)').first().waitFor();
    const body = editor.locator('body');
    assert.equal(await body.evaluate(() => Boolean(customElements.get('vscode-button') && customElements.get('vscode-panels'))), true);
    assert.match((await body.getAttribute('class')) ?? '', /vscode-dark/);
    // The toolkit's secondary button takes the theme's colour, not the toolkit's built-in default.
    const colours = await editor.locator('vscode-button', { hasText: 'Export text' }).evaluate((b) => {
      const probe = document.createElement('div');
      probe.style.backgroundColor = 'var(--vscode-button-secondaryBackground, transparent)';
      document.body.appendChild(probe);
      const theme = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return { button: getComputedStyle(b).backgroundColor, theme };
    });
    assert.equal(colours.button, colours.theme);

    await editor.locator('.entry-table').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await session.shot('01-editor-keyboard-select');
    const detail = await webviewWith(page, '.detail .entry-title');
    assert.equal(await detail.locator('.entry-title').first().textContent(), 'Entry 3');
    await detail.locator('vscode-panel-tab', { hasText: 'JSON' }).first().click();
    await detail.locator('.panel-json .code').first().waitFor({ state: 'visible' });
    await session.shot('02-detail-json');
    assert.deepEqual(csp, [], 'CSP violations in the webviews');
  });
}
