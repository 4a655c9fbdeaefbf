// Messages from a webview are untrusted input: the host accepts only well-formed WebviewToHost messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asWebviewMessage } from '../../src/extension/webview/channel';

describe('view: webview message validation', () => {
  it('accepts the protocol messages', () => {
    assert.deepEqual(asWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(asWebviewMessage({ type: 'getRows', requestId: 3, start: 200, count: 200 }), { type: 'getRows', requestId: 3, start: 200, count: 200 });
    assert.deepEqual(asWebviewMessage({ type: 'getRows', requestId: 3, start: 0, count: 200, filter: 'secret' })?.type, 'getRows');
    assert.deepEqual(asWebviewMessage({ type: 'reveal', requestId: 1, seq: -6, revealPath: 'a0:spec.data' }), { type: 'reveal', requestId: 1, seq: -6, revealPath: 'a0:spec.data' });
    assert.deepEqual(asWebviewMessage({ type: 'command', command: 'exportText' }), { type: 'command', command: 'exportText' });
  });

  it('drops anything else', () => {
    for (const bad of [null, 'ready', 42, {}, { type: 'eval', code: 'x' }, { type: 'getRows', requestId: '1', start: 0, count: 1 },
      { type: 'getRows', requestId: 1, start: -1, count: 1 }, { type: 'select', seq: 1.5 }, { type: 'command', command: 'workbench.action.quit' },
      { type: 'copy', text: 1 }, { type: 'openObject', kind: 'node' }]) {
      assert.equal(asWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('keeps a ready message\'s page timing only when it is three non-negative numbers, and nothing else it carries', () => {
    const timing = { documentMs: 21.8, scriptMs: 163.2, readyMs: 180 };
    assert.deepEqual(asWebviewMessage({ type: 'ready', timing: { ...timing, extra: '<b>' }, other: 1 }), { type: 'ready', timing });
    for (const bad of [{ ...timing, readyMs: -1 }, { ...timing, scriptMs: '1' }, { documentMs: 1, scriptMs: 2 }, { ...timing, documentMs: Infinity }, 'fast', null]) {
      assert.deepEqual(asWebviewMessage({ type: 'ready', timing: bad }), { type: 'ready' }, JSON.stringify(bad));
    }
  });

  it('caps page requests', () => {
    const m = asWebviewMessage({ type: 'getRows', requestId: 1, start: 0, count: 10_000_000 });
    assert.equal(m?.type === 'getRows' && m.count, 5000);
  });
});
