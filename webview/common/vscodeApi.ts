// Typed access to the webview API that VS Code injects (`acquireVsCodeApi`, callable once per page).
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface HostChannel<S> {
  post(message: WebviewToHost): void;
  onMessage(handler: (message: HostToWebview) => void): void;
  /** The state saved by a previous instance of this webview (survives hide/show and reloads). */
  readState(): Partial<S>;
  /** Merges `patch` into the saved state. */
  saveState(patch: Partial<S>): void;
}

export function connectToHost<S extends object>(): HostChannel<S> {
  const api = acquireVsCodeApi();
  let state: Partial<S> = isObject(api.getState()) ? (api.getState() as Partial<S>) : {};
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) => {
      window.addEventListener('message', (event: MessageEvent) => {
        // Only VS Code's host frame posts here; anything without a string `type` is not ours.
        if (isObject(event.data) && typeof (event.data as { type?: unknown }).type === 'string') {
          handler(event.data as HostToWebview);
        }
      });
    },
    readState: () => state,
    saveState: (patch) => {
      state = { ...state, ...patch };
      api.setState(state);
    },
  };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
