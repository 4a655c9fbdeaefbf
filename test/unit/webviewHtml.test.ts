// The webview HTML shell: CSP, nonce, escaping, resource roots (no VS Code needed: html.ts imports
// 'vscode' for types only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { buildHtml, contentSecurityPolicy, escapeHtml, makeNonce, renderWebviewHtml, webviewOptions } from '../../src/extension/webview/html';

/** Just enough of vscode.Uri for html.ts (`path`, `with`, `toString`). */
function fakeUri(path: string, scheme = 'file'): vscode.Uri {
  return {
    scheme, path,
    with: (change: { path?: string; scheme?: string }) => fakeUri(change.path ?? path, change.scheme ?? scheme),
    toString: () => `${scheme}://${path}`,
  } as unknown as vscode.Uri;
}

function fakeWebview() {
  return {
    cspSource: 'https://*.vscode-cdn.net',
    options: { enableForms: true } as vscode.WebviewOptions,
    asWebviewUri: (uri: vscode.Uri) => fakeUri(uri.path, 'https'),
  };
}

const ext = fakeUri('/ext');

test('CSP: nothing by default, scripts by nonce only, styles/images/fonts from the webview source', () => {
  const csp = contentSecurityPolicy('https://src', 'N0nce');
  const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
  assert.equal(directives['default-src'], "'none'");
  assert.equal(directives['script-src'], "'nonce-N0nce'");
  assert.equal(directives['style-src'], "https://src 'nonce-N0nce'");
  assert.equal(directives['img-src'], 'https://src data:');
  assert.equal(directives['font-src'], 'https://src');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
});

test('renderWebviewHtml: a fresh nonce each render, on every script tag and in the CSP', () => {
  const a = renderWebviewHtml(fakeWebview(), ext, 'editor', 't');
  const b = renderWebviewHtml(fakeWebview(), ext, 'editor', 't');
  const nonceOf = (html: string) => /'nonce-([A-Za-z0-9_-]+)'/.exec(html)?.[1];
  assert.ok(nonceOf(a) && nonceOf(a)!.length >= 22);
  assert.notEqual(nonceOf(a), nonceOf(b));
  const scripts = a.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0], `<script nonce="${nonceOf(a)}" src="https:///ext/dist/webview.js">`);
  assert.match(a, /<link rel="stylesheet" href="https:\/\/\/ext\/media\/webview.css">/);
  assert.match(a, /<body data-view="editor">/);
  assert.match(renderWebviewHtml(fakeWebview(), ext, 'detail', 't'), /<body data-view="detail">/);
  assert.doesNotMatch(a, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(a, /style=/, 'no inline styles');
});

test('renderWebviewHtml limits local resources to dist/ and media/ and keeps other options', () => {
  const webview = fakeWebview();
  renderWebviewHtml(webview, ext, 'editor', 't');
  assert.equal(webview.options.enableScripts, true);
  assert.equal(webview.options.enableForms, true);
  assert.deepEqual(webview.options.localResourceRoots?.map((u) => u.path), ['/ext/dist', '/ext/media']);
  assert.deepEqual(webviewOptions(fakeUri('/x/')).localResourceRoots?.map((u) => u.path), ['/x/dist', '/x/media']);
});

test('the title is data: it is escaped', () => {
  const html = buildHtml({ cspSource: 's', nonce: 'n', scriptUri: 'u', styleUri: 'v', view: 'detail', title: '</title><script>alert(1)</script>' });
  assert.match(html, /<title>&lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.equal(escapeHtml(`&<>"'`), `&amp;&lt;&gt;&quot;'`);
});

test('nonces are 128-bit base64url', () => {
  const seen = new Set(Array.from({ length: 100 }, makeNonce));
  assert.equal(seen.size, 100);
  for (const n of seen) assert.match(n, /^[A-Za-z0-9_-]{22}$/);
});
