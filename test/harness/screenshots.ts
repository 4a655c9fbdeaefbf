// Screenshots as test artifacts: test-results/screenshots/<test>/<step>.png. Look at them.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { resultsPath, slug } from './paths';

export async function screenshot(page: Page, test: string, step: string): Promise<string> {
  const file = join(resultsPath('screenshots', slug(test)), `${slug(step)}.png`);
  await page.screenshot({ path: file });
  return file;
}
