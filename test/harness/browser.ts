// Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags that work
// on machines without outside network, and a fresh profile per run.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { removeScratch, resultsPath, scratchDir } from './paths';
import { enableSmokeTestDriverScript } from './smokeTestDriver';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox', // root in CI; Chromium's sandbox refuses to run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking', // else it keeps dialling Google's hosts and gets refused
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** Logs go to test-results/logs/<name>/browser-console.log. */
  name: string;
  /** Headless unless SWARM_RAFT_HEADED=1. */
  headless?: boolean;
}

export async function openBrowser(options: BrowserOptions): Promise<BrowserSession> {
  const profile = scratchDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: options.headless ?? process.env.SWARM_RAFT_HEADED !== '1',
    args: chromiumArgs,
    viewport: { width: 1400, height: 900 },
  });
  // The workbench only honours extensionDevelopmentPath/extensionTestsPath payloads with this.
  await context.addInitScript(enableSmokeTestDriverScript);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLog = join(resultsPath('logs', options.name), 'browser-console.log');
  writeFileSync(consoleLog, '');
  page.on('console', (msg) => appendFileSync(consoleLog, `[${msg.type()}] ${msg.text()}\n`));
  page.on('pageerror', (err) => appendFileSync(consoleLog, `[pageerror] ${err.message}\n`));
  return {
    context,
    page,
    close: async () => {
      // Closing the context ends the browser process; Playwright kills it if it hangs.
      await context.close().catch(() => undefined);
      removeScratch(profile);
    },
  };
}
