// Long work written once as a generator that yields between small steps, run either at once (the CLI,
// the tests) or in slices of a few milliseconds with a turn of the event loop between them (the
// extension host, which must keep answering its editors, trees and webviews meanwhile).

/** A task that yields (nothing) between steps and returns its result at the end. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the steps in slices of about `sliceMs`, yielding to the event loop (setImmediate) between slices. */
export async function runStepsInSlices<T>(steps: Steps<T>, sliceMs = 20): Promise<T> {
  for (;;) {
    const started = performance.now();
    let r = steps.next();
    while (!r.done && performance.now() - started < sliceMs) r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
