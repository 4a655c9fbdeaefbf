// The CLI's Output waits for a slow reader: without it, a dump piped into `less` would queue its whole
// text in memory (stdout to a pipe is asynchronous in Node).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { Output } from '../../src/cli/output';

/** A reader that takes one chunk per event-loop turn and records how much was ever queued for it. */
function slowReader(highWaterMark: number): { stream: Writable; received: () => string; maxQueued: () => number } {
  const parts: string[] = [];
  let maxQueued = 0;
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      parts.push(chunk);
      setImmediate(done);
    },
  });
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string, ...rest: never[]) => {
    const ok = write(chunk, ...rest);
    maxQueued = Math.max(maxQueued, stream.writableLength);
    return ok;
  }) as typeof stream.write;
  return { stream, received: () => parts.join(''), maxQueued: () => maxQueued };
}

function* chunks(count: number, size: number): Generator<string> {
  for (let i = 0; i < count; i++) yield String(i % 10).repeat(size);
}

describe('cli Output', () => {
  it('pipes a 4 MB dump through a slow reader without queueing more than a batch or two', async () => {
    const reader = slowReader(16 * 1024);
    const out = new Output(reader.stream);
    await out.pipe(chunks(4096, 1024));
    out.flush();
    await new Promise<void>((resolve) => reader.stream.end(resolve));
    assert.equal(reader.received(), [...chunks(4096, 1024)].join(''));
    // A batch is ~64 KB; without waiting for 'drain' the whole 4 MB would be queued.
    assert.ok(reader.maxQueued() <= 3 * 64 * 1024, `queued up to ${reader.maxQueued()} bytes`);
  });

  it('takes async chunk sources too (the worker-thread dump)', async () => {
    const reader = slowReader(1024);
    const out = new Output(reader.stream);
    async function* source(): AsyncGenerator<string> {
      yield* chunks(300, 1000);
    }
    await out.pipe(source());
    out.flush();
    await new Promise<void>((resolve) => reader.stream.end(resolve));
    assert.equal(reader.received().length, 300_000);
    assert.ok(reader.maxQueued() <= 3 * 64 * 1024, `queued up to ${reader.maxQueued()} bytes`);
  });

  it('hands a byte chunk back (release) only after the stream has written it', async () => {
    const reader = slowReader(1024);
    const writes: string[] = [];
    const stream = reader.stream;
    const out = new Output(stream);
    const events: string[] = [];
    stream.on('finish', () => events.push('finish'));
    async function* chunks(): AsyncGenerator<{ text: Uint8Array; release(): void }> {
      for (let i = 0; i < 20; i++) {
        const text = Buffer.from(`chunk ${i}\n`.repeat(200));
        writes.push(text.toString());
        yield { text, release: () => events.push(`release ${i} after ${reader.received().length} chars`) };
      }
    }
    await out.pipeReleasing(chunks());
    await new Promise<void>((resolve) => stream.end(resolve));
    assert.equal(reader.received(), writes.join(''));
    const releases = events.filter((e) => e.startsWith('release'));
    assert.equal(releases.length, 20);
    // Chunk i is released once the reader has all of chunks 0..i.
    releases.forEach((e, i) => {
      const seen = Number(/after (\d+)/.exec(e)![1]);
      assert.ok(seen >= writes.slice(0, i + 1).join('').length, e);
    });
  });
});
