// Opens the bundled sample swarm folder in code-server with the extension installed, checks the
// extension is listed as installed and the folder's Raft files are in the explorer, and keeps
// screenshots of each step in test-results/screenshots/open-sample-swarm/.
import { test } from 'node:test';
import { join } from 'node:path';
import { startSession } from '../harness/session';
import { explorerItem } from '../harness/workbench';
import { corpusCase } from '../support/fixtures';

test('opens the sample swarm folder with the extension installed', async (t) => {
  const folder = join(corpusCase('seed-sample'), 'swarm');
  const session = await startSession({ test: 'open-sample-swarm', folder });
  t.after(() => session.close());
  const { page } = session;

  await explorerItem(page, 'raft').waitFor();
  await session.shot('01-explorer');

  await explorerItem(page, 'raft').click();
  await explorerItem(page, 'wal-v3-encrypted').waitFor();
  await explorerItem(page, 'wal-v3-encrypted').click();
  await explorerItem(page, '0000000000000000-0000000000000000.wal').waitFor();
  await session.shot('02-raft-folder');

  await page.keyboard.press('Control+Shift+X');
  // The search box is a small Monaco editor: click it and type, as a person would.
  const search = page.locator('.extensions-viewlet .suggest-input-container').first();
  await search.click();
  await page.keyboard.type('@installed swarm');
  await page.locator('.extensions-viewlet .extension-list-item', { hasText: 'Swarm Raft Explorer' }).first().waitFor();
  await session.shot('03-extension-installed');
});
