// A typed, validating wrapper around a webview's message port: what the host sends is a HostToWebview,
// what it accepts must look like a WebviewToHost (anything else is dropped and logged).
import type * as vscode from 'vscode';
import type { HostToWebview, PageTiming, WebviewToHost } from '../../shared/protocol';

export class WebviewChannel {
  constructor(private readonly webview: vscode.Webview) {}

  post(message: HostToWebview): void {
    void this.webview.postMessage(message);
  }

  onMessage(handler: (message: WebviewToHost) => void | Promise<void>, onInvalid?: (why: string) => void): vscode.Disposable {
    return this.webview.onDidReceiveMessage((raw: unknown) => {
      const message = asWebviewMessage(raw);
      if (!message) {
        onInvalid?.(`ignored a malformed message from the webview (${describe(raw)})`);
        return;
      }
      Promise.resolve(handler(message)).catch((e: unknown) => onInvalid?.(`handling ${message.type} failed: ${(e as Error).message ?? String(e)}`));
    });
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const COMMANDS = ['unlock', 'exportText', 'exportJson', 'openAsText'];

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function isPageTiming(v: unknown): v is PageTiming {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return isTime(t.documentMs) && isTime(t.scriptMs) && isTime(t.readyMs);
}

/** Checks the shape of a message from a webview (its content is untrusted input). */
export function asWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return isPageTiming(m.timing) ? { type: 'ready', timing: { documentMs: m.timing.documentMs, scriptMs: m.timing.scriptMs, readyMs: m.timing.readyMs } } : { type: 'ready' };
    case 'getRows':
      if (!isInt(m.requestId) || !isInt(m.start) || !isInt(m.count) || m.start < 0 || m.count < 0) return undefined;
      if (m.filter !== undefined && !isStr(m.filter)) return undefined;
      return { type: 'getRows', requestId: m.requestId, start: m.start, count: Math.min(m.count, 5000), ...(isStr(m.filter) ? { filter: m.filter } : {}) };
    case 'select':
      return isInt(m.seq) ? { type: 'select', seq: m.seq } : undefined;
    case 'reveal':
      return isInt(m.requestId) && isInt(m.seq) && isStr(m.revealPath) ? { type: 'reveal', requestId: m.requestId, seq: m.seq, revealPath: m.revealPath } : undefined;
    case 'openObject':
      return isStr(m.kind) && isStr(m.id) ? { type: 'openObject', kind: m.kind, id: m.id } : undefined;
    case 'copy':
      return isStr(m.text) ? { type: 'copy', text: m.text } : undefined;
    case 'command':
      return isStr(m.command) && COMMANDS.includes(m.command) ? { type: 'command', command: m.command as 'unlock' } : undefined;
    default:
      return undefined;
  }
}

function describe(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return typeof raw;
  const t = (raw as { type?: unknown }).type;
  return typeof t === 'string' ? `type ${t.slice(0, 40)}` : 'no type';
}
