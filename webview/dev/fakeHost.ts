// A stand-in for the extension host, injected into a plain browser page before dist/webview.js runs:
// defines acquireVsCodeApi, answers the protocol with sample data after a small delay, keeps the webview
// state in sessionStorage (so a reload restores it, as VS Code does), and records every message posted.
// Query parameters: rows (entry count), seq (entry shown by the detail view), locked=1, latency (ms),
// theme (light|dark|hc), modelDelay (ms before the file is "decoded": until then, like the real host,
// getRows is answered with no rows and the overview comes afterwards).
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { applyTheme, type ThemeName } from './themes';
import { sampleDetail, sampleOverview, sampleRows, SECRET_SEQ, SECRET_TEXT } from './sampleData';

interface HarnessWindow extends Window {
  acquireVsCodeApi?: () => unknown;
  __posted: WebviewToHost[];
  __cspViolations: string[];
  __host: { send(message: HostToWebview): void };
}

const w = window as unknown as HarnessWindow;
const params = new URLSearchParams(location.search);
const total = Number(params.get('rows') ?? 5000);
const latency = Number(params.get('latency') ?? 20);
let locked = params.get('locked') === '1';
const theme = (params.get('theme') ?? 'dark') as ThemeName;
const stateKey = `webview-state:${location.pathname}`;
const modelDelay = Number(params.get('modelDelay') ?? 0);
let modelReady = modelDelay === 0;

w.__posted = [];
w.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
applyTheme(theme);

function send(message: HostToWebview): void {
  setTimeout(() => window.postMessage(message, '*'), latency);
}
w.__host = { send };

function onMessage(message: WebviewToHost): void {
  w.__posted.push(message);
  switch (message.type) {
    case 'ready':
      if (document.body.dataset.view !== 'editor') send({ type: 'detail', detail: sampleDetail(Number(params.get('seq') ?? SECRET_SEQ)) });
      else if (modelReady) send({ type: 'overview', overview: sampleOverview(total, locked) });
      else setTimeout(() => {
        modelReady = true;
        send({ type: 'overview', overview: sampleOverview(total, locked) });
      }, modelDelay);
      break;
    case 'getRows': {
      if (!modelReady) {
        send({ type: 'rows', requestId: message.requestId, start: message.start, total: 0, rows: [] });
        break;
      }
      const page = sampleRows(total, message.filter)(message.start, message.count);
      send({ type: 'rows', requestId: message.requestId, start: message.start, total: page.total, rows: page.rows });
      break;
    }
    case 'reveal':
      send({ type: 'revealed', requestId: message.requestId, revealPath: message.revealPath, text: SECRET_TEXT, hex: [...new TextEncoder().encode(SECRET_TEXT)].map((b) => b.toString(16).padStart(2, '0')).join(''), isText: true });
      break;
    case 'command':
      if (message.command === 'unlock' && locked) {
        locked = false;
        send({ type: 'overview', overview: sampleOverview(total, locked) });
      }
      break;
    default:
      break;
  }
}

let acquired = false;
w.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi may only be called once');
  acquired = true;
  return {
    postMessage: (message: WebviewToHost) => onMessage(JSON.parse(JSON.stringify(message)) as WebviewToHost),
    getState: () => JSON.parse(sessionStorage.getItem(stateKey) ?? 'null') as unknown,
    setState: (state: unknown) => sessionStorage.setItem(stateKey, JSON.stringify(state)),
  };
};
