/**
 * Retrying a dump the kernel marked interrupted (NLM_F_DUMP_INTR: its objects changed between two
 * of the dump's datagrams). On a busy host (10 000 containers, IPv6 duplicate address detection
 * finishing on new links) that happens several times in a row: each retry waits a little longer,
 * with jitter, so a retry does not land in the same burst of changes again. The retries are
 * bounded in number and in time: a namespace that never stops changing is an error, not a hang.
 *
 * `CTNET_TRACE_DUMPS=1` writes a line to stderr for each interruption and for the dump that
 * followed it: how tests (and a curious operator) see that retries really happened.
 */

export interface RetryPolicy {
  readonly attempts: number;
  /** The first wait's upper bound; each later one doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts after this long since the first attempt. */
  readonly budgetMs: number;
}

export const DUMP_RETRY: RetryPolicy = { attempts: 60, firstDelayMs: 1, maxDelayMs: 200, budgetMs: 20_000 };

/** A synchronous sleep: the socket is synchronous on purpose (socket.ts), and so is its retry. */
const sleepSync = (ms: number): void => {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** "Equal jitter": a wait drawn between half the bound and the bound, the bound doubling each time. */
export function delayFor(retry: number, p: RetryPolicy, random: () => number = Math.random): number {
  const bound = Math.min(p.maxDelayMs, p.firstDelayMs * 2 ** (retry - 1));
  return bound / 2 + random() * (bound / 2);
}

const tracing = (): boolean => process.env.CTNET_TRACE_DUMPS === '1';
const trace = (line: string): void => void process.stderr.write(`trace: ${line}\n`);

/**
 * Runs `dump` until the kernel does not mark it interrupted, and returns that dump. `what` names
 * it in the trace and in the error (`address dump in netns ct1`).
 */
export function retryInterrupted<T>(what: string, dump: () => { value: T; interrupted: boolean }, p = DUMP_RETRY): T {
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    const { value, interrupted } = dump();
    // an interrupted dump may miss or repeat objects: it is never taken as data
    if (!interrupted) {
      if (attempt > 1 && tracing()) trace(`netlink ${what}: consistent on attempt ${attempt}`);
      return value;
    }
    const elapsed = Date.now() - start;
    if (attempt >= p.attempts || elapsed >= p.budgetMs) {
      const took = `${attempt} times in ${(elapsed / 1000).toFixed(1)} s`;
      throw new Error(`netlink ${what} interrupted ${took}: the kernel's objects kept changing while they were read`);
    }
    const wait = delayFor(attempt, p);
    if (tracing()) trace(`netlink ${what} interrupted (attempt ${attempt}), retrying in ${wait.toFixed(1)} ms`);
    sleepSync(wait);
  }
}
