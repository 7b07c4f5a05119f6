import { afterEach, describe, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn());
vi.mock('node:v8', () => ({ setFlagsFromString: setFlags }));
const { favourSteadyMemory, DAEMON_HEAP_GROWING_PERCENT } = await import('../../../src/cli/daemon-heap.js');

// What the setting does to the heap is V8's (the watcher's RSS in the benchmark, docs/performance.md): this is
// only the rule for when it is set.
describe("the watch daemon's heap growth", () => {
  const argv = process.execArgv;
  afterEach(() => {
    Object.defineProperty(process, 'execArgv', { value: argv, configurable: true });
    setFlags.mockClear();
  });

  it('is set to at most twice what survived the last full collection', () => {
    Object.defineProperty(process, 'execArgv', { value: [], configurable: true });
    favourSteadyMemory();
    expect(setFlags).toHaveBeenCalledWith('--heap-growing-percent=100');
    expect(DAEMON_HEAP_GROWING_PERCENT).toBe(100);
  });

  it('is left as the command line asked', () => {
    Object.defineProperty(process, 'execArgv', { value: ['--heap-growing-percent=300'], configurable: true });
    favourSteadyMemory();
    expect(setFlags).not.toHaveBeenCalled();
  });
});
