// The fuzzer's child process: runs one input at a time through `exercise` and measures what it cost.
// Memory: every Buffer allocation is checked against the bound as it is requested (an allocation sized
// from a crafted length would show there first), and the process's peak RSS against the same kind of
// bound after the run. The parent kills this process when an input runs past its time limit.
import { exercise, type Problem } from './exercise';
import type { InputOptions } from './input';

export interface Job {
  id: number;
  stateDir: string;
  scratch: string;
  options: InputOptions;
  /** Bytes of the input: the memory bounds are derived from it. */
  bytes: number;
  memFactor: number;
  memConstant: number;
}

export interface JobResult {
  id: number;
  problems: Problem[];
  opened: boolean;
  typedErrors: number;
  faults: number;
  entries: number;
  ms: number;
  /** Largest single Buffer allocation requested. */
  maxAlloc: number;
  /** Peak RSS above the RSS at the start of the run (0 when the run set no new peak). */
  rssGrowth: number;
}

type Alloc = (size: number, ...rest: unknown[]) => Buffer;
let maxAlloc = 0;
let allocLimit = Infinity;
let allocViolation: string | undefined;

/** Wraps Buffer's allocators: they are what a length read from a file would size. */
function hookAllocations(): void {
  const b = Buffer as unknown as Record<string, Alloc>;
  for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
    const original = b[name].bind(Buffer);
    b[name] = (size: number, ...rest: unknown[]) => {
      if (size > maxAlloc) maxAlloc = size;
      if (size > allocLimit && !allocViolation) {
        allocViolation = `Buffer.${name}(${size}) above the bound of ${allocLimit} bytes`;
        throw new RangeError(`fuzz: ${allocViolation}`);
      }
      return original(size, ...rest);
    };
  }
}

function run(job: Job): JobResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const bound = job.memFactor * job.bytes + job.memConstant;
  maxAlloc = 0;
  allocLimit = bound;
  allocViolation = undefined;
  const rss0 = process.memoryUsage.rss();
  const peak0 = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const options = { unlockKey: job.options.unlockKey, nodeKeyFile: job.options.nodeKeyFile, keyFiles: job.options.keyFiles };
  const outcome = exercise(job.stateDir, options, job.scratch);
  const ms = performance.now() - started;
  const peak1 = process.resourceUsage().maxRSS * 1024;
  allocLimit = Infinity;
  const rssGrowth = peak1 > peak0 ? peak1 - rss0 : 0;
  const problems = [...outcome.problems];
  if (allocViolation) problems.push({ stage: 'memory', kind: 'uncaught', message: allocViolation, signature: 'memory|alloc' });
  if (rssGrowth > bound) problems.push({ stage: 'memory', kind: 'uncaught', message: `peak RSS grew by ${rssGrowth} bytes, above the bound of ${bound} (${job.bytes} input bytes)`, signature: 'memory|rss' });
  return { id: job.id, problems, opened: outcome.opened, typedErrors: outcome.typedErrors, faults: outcome.faults, entries: outcome.entries, ms, maxAlloc, rssGrowth };
}

if (require.main === module) {
  hookAllocations();
  process.on('message', (job: Job) => process.send!(run(job)));
  process.send!({ ready: true });
}
