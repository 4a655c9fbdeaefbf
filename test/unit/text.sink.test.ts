// TextSink: the byte buffer the text printer writes into. ASCII is stored as is, anything else as UTF-8,
// whatever the length of the string and however often the buffer grows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteBytes, setWasmQuoting, WASM_FROM_BYTES, wasmQuotingAvailable, writeDecimal, writeInt64, writeQuotedBytes, writeQuotedString, writeUint64 } from '../../src/core/text/goFormat';
import { TextSink } from '../../src/core/text/textSink';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { assertGeneratedFileCurrent } from '../support/generated';

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

  it('handOff() gives the written bytes without a copy and starts over in new memory; from a pooled buffer it copies', () => {
    const sink = new TextSink(64 * 1024);
    sink.write('first batch');
    const first = sink.handOff(64 * 1024);
    sink.write('SECOND');
    assert.equal(Buffer.from(first).toString(), 'first batch');
    assert.equal(first.byteOffset, 0);
    assert.equal(first.buffer.byteLength, 64 * 1024, 'the sink\'s own buffer, not a copy');
    const second = sink.handOff(16);
    assert.equal(Buffer.from(second).toString(), 'SECOND');
    assert.notEqual(second.buffer, first.buffer);
    const small = new TextSink(16); // Node's pool: other buffers share that memory
    small.write('pooled');
    const copied = small.handOff(16);
    assert.equal(Buffer.from(copied).toString(), 'pooled');
    assert.equal(copied.buffer.byteLength, copied.length, 'an own copy');
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

  // The plain rule, one byte at a time: named escapes, printable ASCII as is, everything else octal.
  const named: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x22: '\\"', 0x5c: '\\\\' };
  const spellByte = (b: number) => named[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\' + b.toString(8).padStart(3, '0'));
  const spell = (bytes: Uint8Array) => '"' + Array.from(bytes, spellByte).join('') + '"';

  it('quoted bytes match a byte-by-byte spelling on random slices, with what follows intact (the 4-byte stores run past the end)', () => {
    const random = new SeededRandom('quoted bytes');
    for (let round = 0; round < 400; round++) {
      const length = random.int(0, round < 40 ? 40_000 : 100); // past the 16 KB slices, and short strings
      // From all text to all binary: long plain runs (the 4-byte path) and escapes at every alignment.
      const escapeOneIn = [1, 2, 4, 30, 1000, 0][round % 6];
      const bytes = Uint8Array.from({ length }, () => (escapeOneIn && random.int(1, escapeOneIn) === 1 ? random.int(0, 255) : random.int(0x20, 0x7e)));
      const start = random.int(0, length);
      const end = random.int(start, length);
      const sink = new TextSink(random.int(1, 64)); // small: growth lands anywhere
      sink.write('k: ');
      writeQuotedBytes(sink, bytes, start, end);
      sink.write('|after');
      assert.equal(sink.toString(), `k: ${spell(bytes.subarray(start, end))}|after`, `round ${round}`);
    }
  });

  it('the 4-byte path escapes exactly the bytes it must: every pair of byte values, at every place in a word', () => {
    const bytes = new Uint8Array(72).fill(0x61);
    for (let b1 = 0; b1 < 256; b1++) {
      for (let b2 = 0; b2 < 256; b2++) {
        const at = 8 + ((b1 + b2) & 3); // the pair starts at each offset within a word
        bytes[at] = b1;
        bytes[at + 1] = b2;
        const quoted = quoteBytes(bytes);
        const expected = `"${'a'.repeat(at)}${spellByte(b1)}${spellByte(b2)}${'a'.repeat(72 - at - 2)}"`;
        if (quoted !== expected) assert.equal(quoted, expected, `bytes ${b1}, ${b2} at ${at}`);
        bytes[at] = bytes[at + 1] = 0x61;
      }
    }
  });

  it('big values go through WebAssembly here (SIMD: Node 20 and every supported VS Code have it)', () => {
    assert.ok(wasmQuotingAvailable());
  });

  it('src/core/text/quoteWasmBytes.ts is what scripts/build-wasm.mjs makes of quote.wat', () => {
    assertGeneratedFileCurrent('scripts/build-wasm.mjs', 'src/core/text/quoteWasmBytes.ts', 'run `npm run wasm` and commit it');
  });

  it('the WebAssembly path escapes exactly the bytes it must: every byte value at every place in a 16-byte block, and in the tail', () => {
    const length = WASM_FROM_BYTES + 21; // 16-byte blocks, then 5 bytes left over
    const bytes = new Uint8Array(length).fill(0x61);
    for (let b = 0; b < 256; b++) {
      for (const at of [...Array.from({ length: 32 }, (_, i) => i), length - 6, length - 5, length - 1]) {
        bytes[at] = b;
        const quoted = quoteBytes(bytes);
        const expected = `"${'a'.repeat(at)}${spellByte(b)}${'a'.repeat(length - at - 1)}"`;
        if (quoted !== expected) assert.equal(quoted, expected, `byte ${b} at ${at}`);
        bytes[at] = 0x61;
      }
    }
  });

  it('the WebAssembly path gives what the JavaScript loop gives on big random slices (across its 256 KB calls), with what follows intact', () => {
    const random = new SeededRandom('wasm quoting');
    for (let round = 0; round < 24; round++) {
      const length = random.int(WASM_FROM_BYTES, round < 6 ? 700_000 : 40_000);
      const escapeOneIn = [1, 3, 66, 1000, 0][round % 5];
      const bytes = Uint8Array.from({ length }, () => (escapeOneIn && random.int(1, escapeOneIn) === 1 ? random.int(0, 255) : random.int(0x20, 0x7e)));
      const start = random.int(0, 64);
      const end = length - random.int(0, 64);
      const quote = (wasm: boolean) => {
        setWasmQuoting(wasm);
        try {
          const sink = new TextSink(random.int(1, 64));
          sink.write('k: ');
          writeQuotedBytes(sink, bytes, start, end);
          sink.write('|after');
          return sink.take();
        } finally {
          setWasmQuoting(true);
        }
      };
      const js = quote(false);
      const wasm = quote(true);
      if (Buffer.compare(js, wasm) !== 0) assert.fail(`round ${round}: ${length} bytes, [${start}, ${end}): the WebAssembly text differs`);
      if (length < 50_000) assert.equal(Buffer.from(wasm).toString('latin1'), `k: ${spell(bytes.subarray(start, end))}|after`, `round ${round}`);
    }
  });

  it('bytes() appends short and long byte arrays across growth', () => {
    const sink = new TextSink(16);
    const parts = [Buffer.from('  label: '), Buffer.alloc(0), Buffer.from('y'.repeat(200)), Buffer.from('>\n')];
    for (const p of parts) sink.bytes(p);
    assert.equal(sink.toString(), parts.map((p) => p.toString()).join(''));
  });

  it('64-bit decimals without BigInt equal BigInt\'s, at the edges and at random', () => {
    const random = new SeededRandom('int64-decimal');
    const halves: [number, number][] = [[0, 0], [1, 0], [0xffffffff, 0], [0, 1], [0xffffffff, 0x1fffff], [0, 0x200000], [1, 0x200000],
      [0xffffffff, 0x7fffffff], [0, 0x80000000], [0xffffffff, 0xffffffff], [1, 0xffffffff], [0x4240, 0xf], [999999, 0x3b9aca00]];
    for (let i = 0; i < 20000; i++) {
      const b = random.bytes(8);
      // Every magnitude: the high half cut to a random number of bits.
      halves.push([b.readUInt32LE(0), b.readUInt32LE(4) >>> (b[0] & 31)]);
    }
    for (const [low, high] of halves) {
      const u = (BigInt(high) << 32n) | BigInt(low);
      const sink = new TextSink(8);
      writeUint64(sink, low, high);
      sink.byte(0x20);
      writeInt64(sink, low, high);
      assert.equal(sink.toString(), `${u} ${BigInt.asIntN(64, u)}`, `halves ${low}, ${high}`);
    }
    for (const n of [0, 9, 10, 4294967295, 4294967296, 999999999999, 1e15, Number.MAX_SAFE_INTEGER]) {
      const sink = new TextSink(4);
      writeDecimal(sink, n);
      assert.equal(sink.toString(), String(n));
    }
  });
});
