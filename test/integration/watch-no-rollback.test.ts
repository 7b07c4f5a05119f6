import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, ping } from './sandbox.js';
import { until, WatchHarness, type LogLine } from './watch-harness.js';
import { container, routedNet } from '../fixtures.js';

/**
 * Issue 21 (4): `watch` never rolls back. `--atomic` is not one of its options, and a run that
 * fails keeps what it applied: the next run (the retry) only finishes the work.
 */
const NET = routedNet('public', '192.168.213.0/24', ', uplink: enp0s5');
const CT = (n: number): string =>
  container(`ct${n}`, `{name: venet0, network: public, addresses: [192.168.213.${100 + n}]}`);

type Run = LogLine & { plan: Record<string, number>; commands: number };

describe('ctnet watch keeps what a failed run applied, and converges on its next run', () => {
  const sb = new Sandbox();
  const w = new WatchHarness();
  const runs = (): Run[] => w.lines.filter((l): l is Run => l.event === 'reconcile');

  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.213.1/24', '192.168.213.254/24');
    sb.write('net.yaml', NET);
    for (const n of [1, 2, 3]) sb.write(`ct${n}.yaml`, CT(n));
  });
  afterAll(() => {
    w.stop();
    sb.cleanup();
  });

  it('refuses --atomic: a daemon has no "before" to go back to', () => {
    const r = expectExit(sb.ctnet('watch', sb.manifestDir, '--atomic'), 3);
    expect(r.stderr).toContain("unknown option '--atomic'");
    expect(sb.namespaces()).toEqual([]);
  });

  it('a run refused at its first step is not undone; the retry makes only what is missing', async () => {
    await w.start(sb, [sb.manifestDir, '--resync', '600', '--debounce', '100'], { CTNET_FAIL_OP: 'step:1' });
    await until('a failed run, then a converged one', () => runs().some((r) => r.result === 'converged'), 20_000);
    const [failed, ...later] = runs();
    expect(failed.result, JSON.stringify(failed)).toBe('failed');
    expect(w.lines.some((l) => l.msg.includes('refused on purpose (CTNET_FAIL_OP=step:1)'))).toBe(true);
    expect(w.lines.some((l) => /roll/i.test(l.msg))).toBe(false);
    const retry = later.find((r) => r.result === 'applied')!;
    // what the other batches of step 1 and the later steps made stayed: the retry creates less than the failed run planned
    expect(retry.plan.create).toBeGreaterThan(0);
    expect(retry.plan.create).toBeLessThan(failed.plan.create);
    expect(retry.plan.delete).toBe(0);
    for (const n of [1, 2, 3]) expect(ping(sb.ns('lan'), `192.168.213.${100 + n}`)).toBe(true);
  });
});
