// TextSink: the byte buffer the text printer writes into. ASCII is stored as is, anything else as UTF-8,
// whatever the length of the string and however often the buffer grows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteBytes, writeQuotedBytes, writeQuotedString } from '../../src/core/text/goFormat';
import { TextSink } from '../../src/core/text/textSink';
import { SeededRandom } from '../../src/core/writer/seededRandom';

describe('TextSink', () => {
  it('keeps short and long, ASCII and non-ASCII strings as UTF-8, across growth', () => {
    const sink = new TextSink(16);
    const parts = ['Entry Index=1', '\n', 'x'.repeat(100), 'café', `/tmp/${'é'.repeat(60)}/raft`, '日本', '🐳 whale', ''];
    for (const p of parts) sink.write(p);
    sink.byte(0x0a);
    const expected = parts.join('') + '\n';
    assert.equal(sink.toString(), expected);
    assert.equal(sink.length, Buffer.byteLength(expected));
    assert.deepEqual(Buffer.from(sink.take()), Buffer.from(expected, 'utf8'));
    assert.equal(sink.length, 0);
  });

  it('take() returns an own copy that outlives reuse of the sink', () => {
    const sink = new TextSink(8);
    sink.write('first');
    const first = sink.take();
    sink.write('SECOND');
    assert.equal(Buffer.from(first).toString(), 'first');
    assert.equal(first.byteOffset, 0);
    assert.equal(first.buffer.byteLength, first.length, 'transferable: nothing else in its buffer');
  });

  it('quoted bytes reserve their worst case (4 output bytes per input byte)', () => {
    const sink = new TextSink(16);
    sink.write('a: ');
    writeQuotedBytes(sink, Uint8Array.from({ length: 1000 }, (_, i) => (i % 2 ? 0x00 : 0xff)));
    const text = sink.toString();
    assert.equal(text.length, 3 + 2 + 1000 * 4);
    assert.ok(text.startsWith('a: "\\377\\000'));
    assert.equal(quoteBytes(Uint8Array.of(0x22, 0x5c, 0x0a, 0x41)), '"\\"\\\\\\nA"');
    const string = new TextSink(4);
    writeQuotedString(string, 'é');
    assert.equal(string.toString(), '"\\303\\251"');
  });

  it('quoted bytes match a byte-by-byte spelling on random slices, with what follows intact (the 4-byte stores run past the end)', () => {
    // The plain rule, one byte at a time: named escapes, printable ASCII as is, everything else octal.
    const named: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x22: '\\"', 0x5c: '\\\\' };
    const spell = (bytes: Uint8Array) => '"' + Array.from(bytes, (b) => named[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\' + b.toString(8).padStart(3, '0'))).join('') + '"';
    const random = new SeededRandom('quoted bytes');
    for (let round = 0; round < 300; round++) {
      const length = random.int(0, round < 5 ? 5000 : 60);
      // Mostly text, sometimes binary: both kinds of run, and every byte value over the rounds.
      const bytes = Uint8Array.from({ length }, () => (random.int(0, 3) === 0 ? random.int(0, 255) : random.int(0x20, 0x7e)));
      const start = random.int(0, length);
      const end = random.int(start, length);
      const sink = new TextSink(random.int(1, 64)); // small: growth lands anywhere
      sink.write('k: ');
      writeQuotedBytes(sink, bytes, start, end);
      sink.write('|after');
      assert.equal(sink.toString(), `k: ${spell(bytes.subarray(start, end))}|after`, `round ${round}`);
    }
  });
});
