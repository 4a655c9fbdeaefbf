// The writer side of the follow benchmark, in a process of its own (so its work does not delay the
// reading side): appends RATE entries/s to the state directory DIR for MS milliseconds, in batches every
// 10 ms, each committed at once; prints "<index> <epoch ms>" for every committed entry, then "done".
import { LiveWriter } from '../test/support/liveWriter';

const [dir, rateText, msText] = process.argv.slice(2);
const rate = Number(rateText);
const ms = Number(msText);
const live = new LiveWriter(dir, { seed: `bench-${rate}`, segmentBytes: 8 * 1000 * 1000 });
live.append(10);
live.commitAll();
process.stdout.write(`ready ${live.writer.wal.writtenBytes}\n`);

process.stdin.once('data', () => void run());

async function run(): Promise<void> {
  const started = performance.now();
  const startBytes = live.writer.wal.writtenBytes;
  let entries = 0;
  const lines: string[] = [];
  while (performance.now() - started < ms) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) - entries;
    if (due > 0) {
      live.append(due);
      live.commitAll();
      const at = performance.timeOrigin + performance.now();
      for (let k = 0; k < due; k++) lines.push(`${live.index - BigInt(k)} ${at}`);
      entries += due;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const bytes = live.writer.wal.writtenBytes - startBytes;
  const segments = live.writer.wal.segmentCount;
  live.close();
  process.stdout.write(`${lines.join('\n')}\ndone ${entries} ${bytes} ${segments}\n`);
}
