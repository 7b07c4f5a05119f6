import { setFlagsFromString } from 'node:v8';

/** How much V8 lets its heap grow past what survived the last full collection, in percent. */
export const DAEMON_HEAP_GROWING_PERCENT = 100;

/**
 * `watch` lives for months; its runs are short and what it keeps between them is small (about 25 MB at 1000
 * containers). On a machine with gigabytes, V8 lets the heap grow to up to 4× what survived the last full
 * collection before collecting again, so a watcher of 1000 containers peaked at about 195 MB of RSS. At most 2×
 * keeps that peak near 155 MB, with no measurable cost in time (paired runs: docs/performance.md). V8 reads this
 * flag at each collection, so setting it after start-up takes effect. The one-shot commands keep V8's default,
 * which favours throughput, and so does a process that asked for its own growth on the command line.
 */
export function favourSteadyMemory(): void {
  if (process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${DAEMON_HEAP_GROWING_PERCENT}`);
}
