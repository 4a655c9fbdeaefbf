// When this page got going, for the host's 'ready' message (see PageTiming in the protocol).
import type { PageTiming } from '../../src/shared/protocol';

// Taken when the bundle's modules are evaluated, i.e. as soon as the script runs.
const scriptMs = performance.now();

export function pageTiming(): PageTiming {
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return { documentMs: Math.max(0, navigation?.responseEnd ?? 0), scriptMs, readyMs: performance.now() };
}
