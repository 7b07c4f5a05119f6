import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/plan/plan.js';
import { emptyDesired, type DesiredObject, type DesiredState } from '../../../src/model/desired.js';
import { emptyInventory } from '../../../src/model/inventory.js';
import { emptyNs, type ObservedState } from '../../../src/model/kernel.js';

/** Container a wants its eth0 paired with ve-a-eth0; the kernel pairs it with veth-a, made by hand. */
const owner = 'container/a';
const desired: DesiredState = {
  ...emptyDesired(),
  objects: [
    { kind: 'netns', ns: null, owner, obj: { name: 'a' } },
    {
      kind: 'link',
      ns: null,
      owner,
      obj: { name: 've-a-eth0', kind: 'veth', up: true, mtu: 1500, peer: { name: 'eth0', netns: 'a' } },
    },
    {
      kind: 'link',
      ns: 'a',
      owner,
      obj: { name: 'eth0', kind: 'veth', up: true, mtu: 1500, peer: { name: 've-a-eth0', netns: null } },
    },
    { kind: 'address', ns: 'a', owner, obj: { dev: 'eth0', family: 4, cidr: '10.9.0.2/24' } },
  ] satisfies DesiredObject[],
};
const observed: ObservedState = {
  host: {
    ...emptyNs(),
    links: [{ name: 'veth-a', kind: 'veth', up: true, mtu: 1500, ifindex: 3, peerIfindex: 2, peerNetnsId: 0 }],
  },
  netnsNames: ['a'],
  netnsIds: { a: 0 },
  namespaces: {
    a: {
      ...emptyNs(),
      links: [{ name: 'eth0', kind: 'veth', up: true, mtu: 1500, ifindex: 2, peerIfindex: 3 }],
      addresses: [{ dev: 'eth0', family: 4, cidr: '10.9.0.2/24' }],
    },
  },
};
const inventory = (objects: Record<string, { owner: string }>) => ({ ...emptyInventory('i1'), objects });

describe('a veth end paired with another host end than the one ctnet makes', () => {
  it('is deleted by the new host end before it makes the pair, and what was on it is made again', () => {
    const p = plan(desired, observed, inventory({ 'netns a': { owner }, 'link netns:a eth0': { owner } }));
    expect(p.conflicts).toEqual([]);
    const ids = p.actions.map((a) => a.id);
    const host = p.actions.find((a) => a.id === 'link host ve-a-eth0')!;
    expect(host.action).toBe('create');
    expect(host.disruptive).toBe(true);
    expect(host.reason).toContain('the eth0 now in a (paired with veth-a) is deleted first');
    expect(host.ops[0]).toEqual({ op: 'link-del', ns: 'a', name: 'eth0' });
    expect(host.ops[1]).toMatchObject({ op: 'link-add', link: { name: 've-a-eth0', peer: { name: 'eth0', ns: 'a' } } });
    // the end is then set up as a new veth's end, after its host end, and its address added again
    const end = p.actions.find((a) => a.id === 'link netns:a eth0')!;
    expect(end.action).toBe('create');
    expect(end.ops).toContainEqual(
      expect.objectContaining({ op: 'link-set', set: expect.objectContaining({ up: true }) }),
    );
    expect(ids.indexOf(end.id)).toBeGreaterThan(ids.indexOf(host.id));
    expect(end.deps).toContain(host.id);
    expect(p.actions.find((a) => a.type === 'address')?.action).toBe('create');
  });

  it('is refused when nobody here owns it, unless --adopt', () => {
    const p = plan(desired, observed, inventory({ 'netns a': { owner } }));
    expect(p.conflicts.map((c) => c.message)).toEqual([
      'link "eth0" exists and is not owned by ctnet (use --adopt to take it over)',
    ]);
    const adopted = plan(desired, observed, inventory({ 'netns a': { owner } }), { adopt: true });
    expect(adopted.conflicts).toEqual([]);
    expect(adopted.actions.find((a) => a.id === 'link host ve-a-eth0')?.ops[0]).toEqual({
      op: 'link-del',
      ns: 'a',
      name: 'eth0',
    });
  });

  it('is left alone when it is the pair of the host end ctnet wants', () => {
    const paired: ObservedState = {
      ...observed,
      host: { ...observed.host, links: [{ ...observed.host.links[0], name: 've-a-eth0' }] },
    };
    const p = plan(desired, paired, inventory({ 'netns a': { owner }, 'link netns:a eth0': { owner } }));
    expect(p.actions.some((a) => a.ops.some((o) => o.op === 'link-del'))).toBe(false);
  });
});
