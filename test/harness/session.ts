// One UI test's world: a fresh code-server with the extension installed, a fresh Chromium on it,
// the workbench open on a folder; close() tears all of it down (process groups included).
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import { screenshot } from './screenshots';
import { waitForWorkbench, workbenchUrl } from './workbench';

export interface SessionOptions {
  /** Test name: names the logs and screenshots folders. */
  test: string;
  /** Absolute path of the folder to open. */
  folder: string;
  /** code-server to use: 'oldest', 'newest' or a version (default $SWARM_RAFT_CODE_SERVER or newest). */
  which?: string;
  settings?: Record<string, unknown>;
  /** Install this .vsix with `--install-extension` instead of linking the repository. */
  vsix?: string;
  /** Workspace trust on: the folder opens in Restricted Mode until trusted. */
  workspaceTrust?: boolean;
}

export interface Session {
  page: Page;
  server: CodeServer;
  browser: BrowserSession;
  /** Screenshot to test-results/screenshots/<test>/<step>.png. */
  shot(step: string): Promise<string>;
  close(): Promise<void>;
}

export async function startSession(options: SessionOptions): Promise<Session> {
  const server = await startCodeServer({
    which: options.which,
    name: options.test,
    installExtension: !options.vsix,
    vsix: options.vsix,
    workspaceTrust: options.workspaceTrust,
    settings: options.settings,
  });
  let browser: BrowserSession | undefined;
  try {
    browser = await openBrowser({ name: options.test });
    const { page } = browser;
    await page.goto(workbenchUrl(server.origin, { folder: options.folder }));
    await waitForWorkbench(page);
    const opened = browser;
    return {
      page,
      server,
      browser: opened,
      shot: (step) => screenshot(page, options.test, step),
      close: async () => {
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    if (browser) {
      await screenshot(browser.page, options.test, 'startup-failure').catch(() => undefined);
      await browser.close();
    }
    await server.stop();
    throw error;
  }
}
