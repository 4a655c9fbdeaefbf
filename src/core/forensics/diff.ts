// Two object versions side by side, rendered in the same format, for VS Code's diff editor (two
// read-only documents) or for the CLI's unified diff.
import { renderObject, type RenderOptions } from './render';
import { versionLabel, type ObjectRevision, type ObjectVersion } from './history';

export interface DiffSide {
  label: string;
  text: string;
}

export interface VersionDiff {
  left: DiffSide;
  right: DiffSide;
  identical: boolean;
}

/** Both versions (or any two objects) rendered as text format or JSON, with their titles. */
export function diffVersions(a: ObjectRevision | ObjectVersion, b: ObjectRevision | ObjectVersion, options: RenderOptions = {}): VersionDiff {
  const left = { label: versionLabel(a), text: renderObject(a.kind, a.object, options) };
  const right = { label: versionLabel(b), text: renderObject(b.kind, b.object, options) };
  return { left, right, identical: left.text === right.text };
}

type Op = { op: ' ' | '-' | '+'; line: string };

/** A unified diff (`---`/`+++`/`@@` hunks) of two texts; "" when they are equal. */
export function unifiedDiff(left: DiffSide, right: DiffSide, context = 3): string {
  if (left.text === right.text) return '';
  const ops = lineDiff(splitLines(left.text), splitLines(right.text));
  const out = [`--- ${left.label}\n`, `+++ ${right.label}\n`];
  for (const hunk of hunks(ops, context)) out.push(hunk);
  return out.join('');
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Longest-common-subsequence line diff, after trimming the common head and tail. */
function lineDiff(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ma = a.slice(head, a.length - tail);
  const mb = b.slice(head, b.length - tail);
  const middle: Op[] = [];
  // A quadratic table is fine for objects; past this size, show the middle as replaced.
  if (ma.length * mb.length > 4_000_000) {
    middle.push(...ma.map((line) => ({ op: '-' as const, line })), ...mb.map((line) => ({ op: '+' as const, line })));
  } else {
    const w = mb.length + 1;
    const lcs = new Uint32Array((ma.length + 1) * w);
    for (let i = ma.length - 1; i >= 0; i--) {
      for (let j = mb.length - 1; j >= 0; j--) {
        lcs[i * w + j] = ma[i] === mb[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < ma.length || j < mb.length) {
      if (i < ma.length && j < mb.length && ma[i] === mb[j]) {
        middle.push({ op: ' ', line: ma[i++] });
        j++;
      } else if (i < ma.length && (j === mb.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        middle.push({ op: '-', line: ma[i++] });
      } else {
        middle.push({ op: '+', line: mb[j++] });
      }
    }
  }
  const same = (line: string): Op => ({ op: ' ', line });
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

function* hunks(ops: Op[], context: number): Generator<string> {
  let i = 0;
  // Line numbers (1-based) of ops[i] in the left and right text.
  const leftAt: number[] = [];
  const rightAt: number[] = [];
  let l = 1;
  let r = 1;
  for (const o of ops) {
    leftAt.push(l);
    rightAt.push(r);
    if (o.op !== '+') l++;
    if (o.op !== '-') r++;
  }
  while (i < ops.length) {
    while (i < ops.length && ops[i].op === ' ') i++;
    if (i === ops.length) return;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2 * context unchanged lines.
    for (let k = i; k < ops.length; k++) {
      if (ops[k].op !== ' ') end = k;
      else if (k - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const slice = ops.slice(start, stop);
    const leftCount = slice.filter((o) => o.op !== '+').length;
    const rightCount = slice.filter((o) => o.op !== '-').length;
    const leftStart = leftCount ? leftAt[start] : leftAt[start] - 1;
    const rightStart = rightCount ? rightAt[start] : rightAt[start] - 1;
    yield `@@ -${leftStart},${leftCount} +${rightStart},${rightCount} @@\n` + slice.map((o) => `${o.op}${o.line}\n`).join('');
    i = stop;
  }
}
