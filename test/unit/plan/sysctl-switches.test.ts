import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/plan/plan.js';
import { schedule, steps } from '../../../src/apply/schedule.js';
import { emptyDesired, type DesiredObject } from '../../../src/model/desired.js';
import { emptyInventory } from '../../../src/model/inventory.js';
import { emptyNs, type ObservedState } from '../../../src/model/kernel.js';

/**
 * Writing a global switch (`net.ipv4.ip_forward`, `net.ipv6.conf.all.forwarding`) rewrites every
 * interface's `forwarding`: a Host sysctl on one interface is written after the switch, and
 * written even when it reads as desired before the switch changes.
 */
const sysctl = (key: string, value: string, owner: string): DesiredObject => ({
  kind: 'sysctl',
  ns: null,
  owner,
  obj: { key, value },
});
const observed = (sysctls: Record<string, string>): ObservedState => ({
  host: { ...emptyNs(), sysctls },
  netnsNames: [],
  namespaces: {},
});
const desired = {
  ...emptyDesired(),
  objects: [
    sysctl('net.ipv4.ip_forward', '1', 'network/public'),
    sysctl('net.ipv4.conf.enp1s0.forwarding', '0', 'host/default'),
    sysctl('net.ipv6.conf.all.forwarding', '1', 'network/public'),
    sysctl('net.ipv6.conf.enp1s0.forwarding', '0', 'host/default'),
  ],
};

describe('per-interface forwarding beside its global switch', () => {
  it('is written after a switch that changes, though it reads as desired now', () => {
    const now = {
      'net.ipv4.ip_forward': '0',
      'net.ipv4.conf.enp1s0.forwarding': '0',
      'net.ipv6.conf.all.forwarding': '0',
      'net.ipv6.conf.enp1s0.forwarding': '0',
    };
    const p = plan(desired, observed(now), emptyInventory('i'));
    const ids = p.actions.map((a) => a.id);
    expect(ids).toEqual([
      'sysctl host net.ipv4.ip_forward',
      'sysctl host net.ipv4.conf.enp1s0.forwarding',
      'sysctl host net.ipv6.conf.all.forwarding',
      'sysctl host net.ipv6.conf.enp1s0.forwarding',
    ]);
    expect(p.actions[1]).toMatchObject({ deps: ['sysctl host net.ipv4.ip_forward'], reason: 'value 1 → 0' });
    // run in that order: the same batch (one channel for the host's sysctls) runs in order
    const order = steps(schedule(p.actions))
      .flat(2)
      .map((n) => n.action.id);
    expect(order.indexOf(ids[1])).toBeGreaterThan(order.indexOf(ids[0]));
    expect(order.indexOf(ids[3])).toBeGreaterThan(order.indexOf(ids[2]));
  });

  it('is left alone when the switch already has its value', () => {
    const now = {
      'net.ipv4.ip_forward': '1',
      'net.ipv4.conf.enp1s0.forwarding': '0',
      'net.ipv6.conf.all.forwarding': '1',
      'net.ipv6.conf.enp1s0.forwarding': '0',
    };
    expect(plan(desired, observed(now), emptyInventory('i')).actions).toEqual([]);
  });
});
