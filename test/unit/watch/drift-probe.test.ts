import { describe, expect, it } from 'vitest';
import { DriftProbe, sysctlTargets } from '../../../src/watch/drift-probe.js';
import { mayConcernCtnet } from '../../../src/driver/netlink/events.js';
import { Loop } from '../../../src/watch/loop.js';
import type { Inventory } from '../../../src/model/inventory.js';

const inv = (ids: string[]): Inventory => ({
  version: 2,
  instance: 'i',
  objects: Object.fromEntries(ids.map((id) => [id, { owner: 'x' }])),
});

/** Waits for a condition on a short poll (the probe's own timer runs meanwhile). */
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('proxy/sysctl drift probe', () => {
  it('takes the recorded sysctls of the host and of each namespace from the inventory', () => {
    const t = sysctlTargets(
      inv([
        'sysctl host net.ipv4.ip_forward',
        'sysctl netns:ct1 net.ipv4.conf.all.rp_filter',
        'netns ct1',
        'sysctl host net.ipv4.conf.ve-ct1.proxy_arp',
      ]),
    );
    expect([...t]).toEqual([
      [null, ['net.ipv4.ip_forward', 'net.ipv4.conf.ve-ct1.proxy_arp']],
      ['ct1', ['net.ipv4.conf.all.rp_filter']],
    ]);
  });

  it('triggers once when the view differs from the one after the last reconcile, then waits for the next rebase', async () => {
    let state = 'a';
    let busy = false;
    let drifts = 0;
    const asked: unknown[] = [];
    const probe = new DriftProbe({
      hostNetns: null,
      intervalMs: 10,
      busy: () => busy,
      onDrift: () => drifts++,
      onWarning: () => undefined,
      reader: {
        read: (t) => {
          asked.push([...t]);
          return Promise.resolve({ '': state });
        },
        close: () => undefined,
      },
    });
    try {
      await probe.rebase(inv(['sysctl host net.ipv4.ip_forward']));
      expect(asked[0]).toEqual([[null, ['net.ipv4.ip_forward']]]);
      await new Promise((r) => setTimeout(r, 50));
      expect(drifts).toBe(0);
      busy = true; // a reconcile's own changes are not drift
      state = 'b';
      await new Promise((r) => setTimeout(r, 50));
      expect(drifts).toBe(0);
      busy = false;
      await until(() => drifts === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(drifts).toBe(1);
      await probe.rebase(undefined); // the repair's view: quiet again
      await new Promise((r) => setTimeout(r, 50));
      expect(drifts).toBe(1);
    } finally {
      probe.close();
    }
  });

  it('compares with the view before the run: a change made by hand while it ran is still seen', async () => {
    let state = 'a';
    let busy = false;
    let drifts = 0;
    const probe = new DriftProbe({
      hostNetns: null,
      intervalMs: 10,
      busy: () => busy,
      onDrift: () => drifts++,
      onWarning: () => undefined,
      reader: { read: () => Promise.resolve({ '': state }), close: () => undefined },
    });
    try {
      busy = true;
      probe.beforeRun();
      await new Promise((r) => setTimeout(r, 20));
      state = 'b'; // after the run observed, before it ended: its plan knew nothing of it
      await probe.rebase(undefined);
      busy = false;
      await until(() => drifts === 1);
      busy = true; // the run that follows sees 'b', repairs nothing here, and starts from it
      probe.beforeRun();
      await probe.rebase(undefined);
      busy = false;
      await new Promise((r) => setTimeout(r, 50));
      expect(drifts).toBe(1);
    } finally {
      probe.close();
    }
  });

  it('names the namespaces whose sysctls differ; the host part names none, as every run reads it', async () => {
    let view: Record<string, string> = { '': 'proxy', ct1: 'a', ct2: 'a' };
    const drifts: (readonly string[])[] = [];
    const probe = new DriftProbe({
      hostNetns: null,
      intervalMs: 10,
      busy: () => false,
      onDrift: (ns) => drifts.push(ns),
      onWarning: () => undefined,
      reader: { read: () => Promise.resolve(view), close: () => undefined },
    });
    try {
      await probe.rebase(undefined);
      view = { '': 'proxy', ct1: 'a', ct2: 'b' };
      await until(() => drifts.length === 1);
      await probe.rebase(undefined);
      view = { '': 'proxy entry gone', ct2: 'b' };
      await until(() => drifts.length === 2);
      expect(drifts).toEqual([['ct2'], ['ct1']]);
    } finally {
      probe.close();
    }
  });

  it('warns once when reading fails, and stays quiet', async () => {
    const warnings: string[] = [];
    let drifts = 0;
    const probe = new DriftProbe({
      hostNetns: null,
      intervalMs: 10,
      busy: () => false,
      onDrift: () => drifts++,
      onWarning: (m) => warnings.push(m),
      reader: {
        read: () => Promise.reject(new Error('gone')),
        close: () => undefined,
      },
    });
    await probe.rebase(undefined);
    await new Promise((r) => setTimeout(r, 50));
    probe.close();
    expect(warnings.length).toBe(1);
    expect(drifts).toBe(0);
  });
});

describe('netlink event filter', () => {
  const neigh = (type: number, flags: number) => {
    const b = Buffer.alloc(12);
    b.writeUInt8(flags, 10);
    return { type, body: b };
  };
  it('counts links, addresses, routes and proxy entries, not the ARP cache', () => {
    expect(mayConcernCtnet({ type: 16, body: Buffer.alloc(16) })).toBe(true);
    expect(mayConcernCtnet({ type: 21, body: Buffer.alloc(8) })).toBe(true);
    expect(mayConcernCtnet(neigh(28, 0x08))).toBe(true);
    expect(mayConcernCtnet(neigh(29, 0x08))).toBe(true);
    expect(mayConcernCtnet(neigh(28, 0))).toBe(false);
  });
});

describe('retry backoff', () => {
  it('tells each retry delay, doubling', async () => {
    const delays: number[] = [];
    let runs = 0;
    const loop = new Loop({
      run: () => Promise.resolve({ transient: ++runs < 4 }),
      resyncMs: 60_000,
      retryBaseMs: 5,
      onRetry: (d) => delays.push(d),
    });
    loop.trigger('start');
    await until(() => runs === 4);
    await loop.stop();
    expect(delays).toEqual([5, 10, 20]);
  });
});
