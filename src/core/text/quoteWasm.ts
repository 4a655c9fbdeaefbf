// writeQuotedBytes' loop for big values, in WebAssembly with SIMD (quote.wat): 16 bytes are checked and
// copied in one step while none needs an escape. Text configs of hundreds of KB are most of big-wal's
// export; there the JavaScript loop, 4 bytes per step, is its largest cost.
import { QUOTE_WASM_BASE64 } from './quoteWasmBytes';
import type { TextSink } from './textSink';

/** Input bytes per call: bounds the module's memory (the output needs 4x). */
const SLICE_BYTES = 256 * 1024;
const TABLE_AT = 0;
const LENGTHS_AT = 1024;
const INPUT_AT = 4096;
const OUTPUT_AT = INPUT_AT + SLICE_BYTES;
/** The output's worst case, plus the 3 bytes a 4-byte store writes past the last. */
const MEMORY_BYTES = OUTPUT_AT + 4 * SLICE_BYTES + 16;

export interface WasmQuoter {
  /** Appends bytes[from, to) escaped (without the surrounding quotes) to the sink. */
  quote(sink: TextSink, bytes: Uint8Array, from: number, to: number): void;
}

/**
 * The quoter for these escape tables (per byte value: its spelling packed in a u32, and its length), or
 * undefined where WebAssembly with SIMD is not available (the JavaScript loop then does the work).
 */
export function createWasmQuoter(escaped: Uint32Array, lengths: Uint8Array): WasmQuoter | undefined {
  let exports: { memory: WebAssembly.Memory; quote(input: number, n: number, output: number): number };
  try {
    const module = new WebAssembly.Module(Buffer.from(QUOTE_WASM_BASE64, 'base64'));
    exports = new WebAssembly.Instance(module).exports as typeof exports;
    const pages = Math.ceil(MEMORY_BYTES / 65536) - exports.memory.buffer.byteLength / 65536;
    if (pages > 0) exports.memory.grow(pages);
  } catch {
    return undefined;
  }
  // The memory does not grow after this: one view serves every call.
  const memory = new Uint8Array(exports.memory.buffer);
  new Uint32Array(exports.memory.buffer, TABLE_AT, 256).set(escaped);
  memory.set(lengths, LENGTHS_AT);
  return {
    quote(sink, bytes, from, to) {
      for (let at = from; at < to; at += SLICE_BYTES) {
        const end = Math.min(to, at + SLICE_BYTES);
        memory.set(bytes.subarray(at, end), INPUT_AT);
        const written = exports.quote(INPUT_AT, end - at, OUTPUT_AT);
        const out = sink.reserve(written);
        out.set(memory.subarray(OUTPUT_AT, OUTPUT_AT + written), sink.length);
        sink.commit(sink.length + written);
      }
    },
  };
}
