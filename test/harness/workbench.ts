// Navigating and driving the VS Code workbench in the browser.
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface WorkbenchTarget {
  /** Absolute path of the folder to open. */
  folder?: string;
  /** Loads this extension folder in development mode (needs the smoke-test-driver patch). */
  extensionDevelopmentPath?: string;
  /** Compiled mocha entry to run in the extension host (the @vscode/test-electron contract). */
  extensionTestsPath?: string;
}

/** http://127.0.0.1:<port>/?folder=...&payload=... as VS Code's own web test runner builds it. */
export function workbenchUrl(origin: string, target: WorkbenchTarget): string {
  const url = new URL(origin);
  if (target.folder) url.searchParams.set('folder', target.folder);
  const remote = (path: string): string => `vscode-remote://${url.host}${path}`;
  const payload: [string, string][] = [];
  if (target.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(target.extensionDevelopmentPath)]);
  if (target.extensionTestsPath) payload.push(['extensionTestsPath', remote(target.extensionTestsPath)]);
  if (payload.length) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** Waits until the workbench is laid out (activity bar and status bar rendered). */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  await page.locator('.part.activitybar').waitFor({ timeout: timeoutMs });
  await page.locator('.part.statusbar').waitFor({ timeout: timeoutMs });
}

/**
 * Waits for something the extension contributes (its activity-bar icon, a view, a status item).
 * The explorer renders before the extension host has registered custom editors, so a test must wait
 * for the extension itself before opening its files, or the text editor opens them instead.
 */
export async function waitForExtension(page: Page, contribution: Locator | string, timeoutMs = 60_000): Promise<void> {
  const locator = typeof contribution === 'string' ? page.locator(contribution) : contribution;
  await locator.first().waitFor({ timeout: timeoutMs });
}

/** A row of the explorer tree, by its label. */
export function explorerItem(page: Page, label: string): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${label}"]`);
}

/** The quick input box (command palette, quick picks). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/** Runs a command by its title through the command palette. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * The content of a webview: webviews are an `iframe.webview` holding the `#active-frame` iframe
 * with the extension's HTML. `index` picks among several open webviews.
 */
export function webviewFrame(page: Page, index = 0): FrameLocator {
  return page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
}

/** Notification toasts currently shown. */
export function notifications(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-toast');
}
