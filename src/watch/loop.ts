/**
 * What can ask for a reconcile. A trigger carries no content: the loop is level-based, every run
 * reads the whole desired state and observes the kernel again, so a trigger only says "look now".
 */
export type Trigger = 'start' | 'sighup' | 'file' | 'kernel' | 'nftables' | 'probe' | 'retry' | 'resync';

/** Several triggers merged into one run are counted under the most telling one. */
const PRIORITY: readonly Trigger[] = ['start', 'sighup', 'file', 'kernel', 'nftables', 'probe', 'retry', 'resync'];

/**
 * While a retry is pending, these wait for it: the kernel's churn (ctnet's own changes of the
 * failed run, anyone else's) says nothing about whether the failure has passed. A manifest edit
 * or SIGHUP may (someone fixed something): they run at once.
 */
const WAIT_FOR_RETRY: ReadonlySet<Trigger> = new Set(['kernel', 'nftables', 'probe', 'resync']);

export const primaryTrigger = (ts: ReadonlySet<Trigger>): Trigger => PRIORITY.find((t) => ts.has(t)) ?? 'resync';

export interface RunVerdict {
  /** A failure that may pass by itself (observe, apply, verify): retry with backoff. */
  readonly transient: boolean;
  /** Run again soon regardless (the manifests were changing under the load). */
  readonly again?: boolean;
  /** Run again after this long (objects left alone for now may be repaired then). */
  readonly wakeMs?: number;
}

export interface LoopOptions {
  /** One full reconcile; the loop never runs two at once. */
  readonly run: (triggers: ReadonlySet<Trigger>) => Promise<RunVerdict>;
  /** Time without any reconcile after which one runs anyway (drift repair). */
  readonly resyncMs: number;
  readonly retryBaseMs?: number;
  /** How soon `again` runs: the file watcher's debounce. */
  readonly againMs?: number;
  /** A run that threw (a bug, not a kernel failure): told, then treated as transient. */
  readonly onCrash?: (e: unknown) => void;
  /** A retry was scheduled after the `failures`-th transient failure in a row. */
  readonly onRetry?: (delayMs: number, failures: number) => void;
}

/**
 * The scheduler. Triggers that arrive while a run is going are merged into ONE more run after it;
 * between runs the resync timer (restarted after each run) and, after a transient failure, a
 * retry timer with exponential backoff (capped by the resync period) are armed.
 */
export class Loop {
  private pending = new Set<Trigger>();
  /** Triggers held back until the pending retry (merged into it). */
  private deferred = new Set<Trigger>();
  private backingOff = false;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly opts: LoopOptions) {}

  trigger(t: Trigger): void {
    if (this.stopped) return;
    if (this.backingOff && WAIT_FOR_RETRY.has(t)) {
      this.deferred.add(t);
      return;
    }
    this.pending.add(t);
    this.running ??= this.drain();
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** No new run starts; the running one (if any) finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending.size && !this.stopped) {
      const batch = new Set([...this.deferred, ...this.pending]);
      this.pending = new Set();
      this.deferred = new Set();
      this.backingOff = false;
      this.clearTimers();
      let verdict: RunVerdict;
      try {
        verdict = await this.opts.run(batch);
      } catch (e) {
        this.opts.onCrash?.(e);
        verdict = { transient: true };
      }
      this.failures = verdict.transient ? this.failures + 1 : 0;
      if (verdict.transient) this.holdBack();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may have run during the await
      if (!this.stopped) this.arm(verdict);
    }
    this.running = undefined;
  }

  /** After a failure: what arrived during the run and cannot have fixed it waits for the retry. */
  private holdBack(): void {
    this.backingOff = true;
    for (const t of [...this.pending].filter((x) => WAIT_FOR_RETRY.has(x))) {
      this.pending.delete(t);
      this.deferred.add(t);
    }
  }

  private arm(v: RunVerdict): void {
    this.later(this.opts.resyncMs, 'resync');
    if (v.transient) {
      const base = this.opts.retryBaseMs ?? 1000;
      const delay = Math.min(base * 2 ** (this.failures - 1), this.opts.resyncMs);
      this.opts.onRetry?.(delay, this.failures);
      this.later(delay, 'retry');
    }
    if (v.again) this.later(this.opts.againMs ?? 100, 'file');
    if (v.wakeMs !== undefined && v.wakeMs < this.opts.resyncMs) this.later(v.wakeMs, 'resync');
  }

  private later(ms: number, t: Trigger): void {
    this.timers.push(setTimeout(() => this.trigger(t), ms));
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
