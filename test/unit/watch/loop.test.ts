import { describe, expect, it } from 'vitest';
import { Loop, primaryTrigger, type Trigger } from '../../../src/watch/loop.js';
import { debounce } from '../../../src/watch/debounce.js';
import { parseListenAddr } from '../../../src/watch/metrics-server.js';

/** A run the test releases by hand: what the loop does while a reconcile is going. */
function gate() {
  const runs: Trigger[][] = [];
  let release: (() => void) | undefined;
  let started: (() => void) | undefined;
  const run = (ts: ReadonlySet<Trigger>) => {
    runs.push([...ts].sort());
    started?.();
    return new Promise<{ transient: boolean }>((res) => (release = () => res({ transient: false })));
  };
  return {
    runs,
    run,
    release: () => release?.(),
    nextStart: () => new Promise<void>((res) => (started = res)),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('watch loop', () => {
  it('merges every trigger that arrives during a run into one more run', async () => {
    const g = gate();
    const loop = new Loop({ run: g.run, resyncMs: 60_000 });
    const first = g.nextStart();
    loop.trigger('start');
    await first;
    for (const t of ['file', 'kernel', 'file', 'sighup'] as const) loop.trigger(t);
    const second = g.nextStart();
    g.release();
    await second;
    loop.trigger('kernel');
    g.release();
    await tick();
    g.release();
    await loop.stop();
    expect(g.runs).toEqual([['start'], ['file', 'kernel', 'sighup'], ['kernel']]);
  });

  it('stop waits for the running batch and starts no other', async () => {
    const g = gate();
    const loop = new Loop({ run: g.run, resyncMs: 60_000 });
    const first = g.nextStart();
    loop.trigger('start');
    await first;
    loop.trigger('file');
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    g.release();
    await stopping;
    expect(g.runs).toEqual([['start']]);
    loop.trigger('sighup');
    expect(loop.busy).toBe(false);
  });

  it('retries a transient failure with growing backoff, and resyncs when quiet', async () => {
    const at: [Trigger, number][] = [];
    const t0 = Date.now();
    let fail = 2;
    const loop = new Loop({
      resyncMs: 400,
      retryBaseMs: 20,
      run: (ts) => {
        at.push([primaryTrigger(ts), Date.now() - t0]);
        return Promise.resolve({ transient: fail-- > 0 });
      },
    });
    loop.trigger('start');
    await new Promise<void>((res) => {
      const check = setInterval(() => at.length >= 4 && (clearInterval(check), res()), 5);
    });
    await loop.stop();
    expect(at.map(([t]) => t)).toEqual(['start', 'retry', 'retry', 'resync']);
    // 20 ms, then 40 ms: the second retry waited longer than the first
    expect(at[2][1] - at[1][1]).toBeGreaterThanOrEqual(at[1][1] - at[0][1]);
  });

  it('holds kernel events back until a pending retry, merged into it; a manifest edit runs at once', async () => {
    const runs: [Trigger[], number][] = [];
    const t0 = Date.now();
    const loop = new Loop({
      resyncMs: 60_000,
      retryBaseMs: 150,
      run: async (ts) => {
        runs.push([[...ts].sort(), Date.now() - t0]);
        // the failing run's own changes are heard while it runs
        if (runs.length === 1) {
          await tick();
          loop.trigger('kernel');
        }
        return { transient: runs.length < 3 };
      },
    });
    loop.trigger('start');
    await tick();
    await tick();
    for (const t of ['kernel', 'nftables', 'probe'] as const) loop.trigger(t);
    await tick();
    expect(runs).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 250));
    expect(runs.map(([t]) => t)).toEqual([['start'], ['kernel', 'nftables', 'probe', 'retry']]);
    expect(runs[1][1]).toBeGreaterThanOrEqual(140);
    loop.trigger('kernel');
    await tick();
    expect(runs).toHaveLength(2);
    loop.trigger('file');
    await tick();
    await loop.stop();
    expect(runs.map(([t]) => t)[2]).toEqual(['file', 'kernel']);
  });

  it('names a merged run after its most telling trigger', () => {
    expect(primaryTrigger(new Set<Trigger>(['resync', 'kernel']))).toBe('kernel');
    expect(primaryTrigger(new Set<Trigger>(['kernel', 'sighup', 'file']))).toBe('sighup');
  });
});

describe('debounce', () => {
  it('fires once after a burst, and no later than its ceiling under a steady stream', async () => {
    let fired = 0;
    const d = debounce(30, () => fired++, 100);
    for (let i = 0; i < 5; i++) d.poke();
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toBe(1);
    const t0 = Date.now();
    while (fired < 2) {
      d.poke();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(Date.now() - t0).toBeLessThan(1000);
    d.cancel();
  });
});

describe('--metrics-addr', () => {
  it('takes HOST:PORT, [IPv6]:PORT and :PORT', () => {
    expect(parseListenAddr('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddr('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddr(':9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListenAddr('localhost')).toBeUndefined();
    expect(parseListenAddr('1.2.3.4:70000')).toBeUndefined();
  });
});
