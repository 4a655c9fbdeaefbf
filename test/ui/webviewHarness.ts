// Runs the webview app outside VS Code: a loopback HTTP server serves the real HTML shell (from
// src/extension/webview/html.ts, same CSP, cspSource = the server's origin) plus dist/ and media/, and
// a fake host (webview/dev/fakeHost.ts) is injected as an init script to answer the protocol.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildHtml, makeNonce, type WebviewViewKind } from '../../src/extension/webview/html';
import { repoRoot } from '../harness/paths';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

export interface HarnessServer {
  origin: string;
  url(view: WebviewViewKind, params?: Record<string, string | number>): string;
  close(): Promise<void>;
}

export async function startHarnessServer(): Promise<HarnessServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const view = /^\/(editor|detail)\.html$/.exec(path)?.[1] as WebviewViewKind | undefined;
      if (view) {
        const html = buildHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/media/webview.css`, view, title: `Harness ${view} <b>`});
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        return;
      }
      if (path === '/favicon.ico') return void res.writeHead(204).end();
      const file = normalize(path).replace(/^\/+/, '');
      if (!/^(dist|media)\//.test(file)) return void res.writeHead(404).end();
      try {
        const body = await readFile(join(repoRoot, file));
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    url: (view, params = {}) => `${origin}/${view}.html?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The fake host bundled for the browser (an IIFE run before the page's own scripts). */
export async function fakeHostScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(repoRoot, 'webview', 'dev', 'fakeHost.ts')],
    bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface OpenedView {
  page: Page;
  /** Console errors, page errors and dialogs (an alert would mean injected script ran). */
  problems: string[];
}

export async function openView(browser: Browser, url: string, hostScript: string, viewport = { width: 1200, height: 800 }): Promise<OpenedView> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.addInitScript({ content: hostScript });
  await page.goto(url);
  return { page, problems };
}
