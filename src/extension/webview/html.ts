// The HTML shell of both webviews (the custom editor for .wal/.snap and the entry detail panel).
// Only `import type` from 'vscode' so the shell can be unit-tested under plain node.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type * as vscode from 'vscode';

export type WebviewViewKind = 'editor' | 'detail';

/** The webview app bundle and its stylesheet, relative to the extension root. */
export const WEBVIEW_SCRIPT = ['dist', 'webview.js'] as const;
export const WEBVIEW_STYLE = ['media', 'webview.css'] as const;
/** The only folders a webview may load from. */
export const RESOURCE_FOLDERS = ['dist', 'media'] as const;

type WebviewLike = Pick<vscode.Webview, 'cspSource' | 'asWebviewUri' | 'options'>;

/** Options every webview of this extension gets: scripts on, local resources limited to dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: RESOURCE_FOLDERS.map((folder) => joinUri(extensionUri, folder)),
  };
}

/**
 * Builds the page for `view` and applies webviewOptions to `webview` (so the resource roots cannot
 * drift from the CSP below). Call it on every (re)render: each call makes a fresh nonce. `title` is
 * data (a file name), so it is escaped.
 */
export function renderWebviewHtml(webview: WebviewLike, extensionUri: vscode.Uri, view: WebviewViewKind, title: string): string {
  webview.options = { ...webview.options, ...webviewOptions(extensionUri) };
  return buildHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(joinUri(extensionUri, ...WEBVIEW_SCRIPT)).toString(),
    styleUri: webview.asWebviewUri(joinUri(extensionUri, ...WEBVIEW_STYLE)).toString(),
    view,
    title,
  });
}

export interface HtmlParts {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  view: WebviewViewKind;
  title: string;
}

/** The Content-Security-Policy of the page: nothing but our own script (by nonce) and stylesheet. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // No 'unsafe-inline'. The toolkit (FAST) styles its components with constructable stylesheets
    // (adoptedStyleSheets), which CSP does not govern; the one <style> element it creates (a probe for
    // :focus-visible support) carries the nonce it reads from <meta property="csp-nonce">.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function buildHtml(parts: HtmlParts): string {
  const csp = contentSecurityPolicy(parts.cspSource, parts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta property="csp-nonce" content="${escapeHtml(parts.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(parts.styleUri)}">
<title>${escapeHtml(parts.title)}</title>
</head>
<body data-view="${escapeHtml(parts.view)}">
<div id="app"></div>
<script nonce="${escapeHtml(parts.nonce)}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>
`;
}

/** 128 random bits, base64url: only [A-Za-z0-9_-], so it needs no escaping in the CSP or the attribute. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** Escapes text for element content and double-quoted attributes (every attribute here is double-quoted). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** Uri.joinPath without a runtime import of 'vscode'. */
function joinUri(base: vscode.Uri, ...segments: string[]): vscode.Uri {
  return base.with({ path: posix.join(base.path || '/', ...segments) });
}
