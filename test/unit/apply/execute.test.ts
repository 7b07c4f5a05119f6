import { describe, expect, it } from 'vitest';
import { execute } from '../../../src/apply/execute.js';
import { schedule, steps } from '../../../src/apply/schedule.js';
import { plan } from '../../../src/plan/plan.js';
import { buildDesired } from '../../../src/desired/build.js';
import { verify } from '../../../src/verify/verify.js';
import { observeFor } from '../../../src/observe/observe.js';
import { emptyInventory } from '../../../src/model/inventory.js';
import { emptyNs, type ObservedState } from '../../../src/model/kernel.js';
import type { ManifestSet } from '../../../src/manifest/types.js';
import { FakeDriver } from './fake-driver.js';
import { ROOT_NS } from '../../../src/model/ops.js';

const src = { file: 'm.yaml', at: () => ({ file: 'm.yaml', line: 1, column: 1 }) };
const set = (containers: number): ManifestSet => ({
  networks: [
    {
      apiVersion: 'ctnet/v1',
      kind: 'Network',
      metadata: { name: 'pub' },
      spec: { type: 'routed', subnets: ['10.0.0.0/24'], uplink: 'up0' },
      source: src,
    },
  ],
  containers: Array.from({ length: containers }, (_, i) => ({
    apiVersion: 'ctnet/v1' as const,
    kind: 'Container' as const,
    metadata: { name: `c${i}` },
    source: src,
    spec: { interfaces: [{ name: 'venet0', network: 'pub', addresses: [`10.0.0.${i + 2}`] }] },
  })),
  vms: [],
  hosts: [],
  nodes: [],
  files: ['m.yaml'],
});
const host: ObservedState = {
  host: { ...emptyNs(), links: [{ name: 'up0', kind: 'veth', up: true }], sysctls: { 'net.ipv4.ip_forward': '0' } },
  netnsNames: [],
  namespaces: {},
};
const planFor = (n: number) => plan(buildDesired(set(n)), host, emptyInventory('test0001'));

describe('scheduling', () => {
  it('runs one batch per namespace per step: namespaces, then the host, then each container once', () => {
    const s = steps(schedule(planFor(3).actions));
    const targets = s.map((step) => step.map((b) => `${b[0].target.channel} ${b[0].target.ns}`).sort());
    expect(targets).toEqual([
      // the isolation table needs nothing: it is in place before any routed interface exists
      [`ip ${ROOT_NS}`, 'nft null', 'sysctl null'],
      ['ip null'],
      ['ip c0', 'ip c1', 'ip c2'],
    ]);
    // lo is marked in the same batch as the container's other work, not in one of its own
    expect(s[2][0].map((n) => n.action.id)).toContain('link netns:c0 lo');
  });

  it('deletes namespaces after every other deletion that does not wait for them, and whole', () => {
    // ct c0 routed (its proxy entry goes first), c1 without host objects: both namespaces in one step after the host's
    const inv = {
      ...emptyInventory('test0001'),
      objects: {
        'netns c0': { owner: 'container/c0' },
        'netns c1': { owner: 'container/c1' },
        'neighbor host up0 10.0.0.2': { owner: 'container/c0' },
      },
    };
    const observed: ObservedState = {
      ...host,
      netnsNames: ['c0', 'c1'],
      host: { ...host.host, neighbors: [{ dst: '10.0.0.2', dev: 'up0', family: 4, proxy: true, protocol: 241 }] },
    };
    const p = plan(buildDesired(set(0)), observed, inv);
    const s = steps(schedule(p.actions)).map((step) => step.map((b) => b.map((n) => n.action.id).join(',')).sort());
    expect(s).toEqual([['neighbor host up0 10.0.0.2'], ['netns c0,netns c1']]);
  });

  it('puts creations before deletions and keeps dependency order inside a batch', () => {
    const p = planFor(2);
    const ids = p.actions.map((a) => a.id);
    for (const a of p.actions) for (const d of a.deps) expect(ids.indexOf(d)).toBeLessThan(ids.indexOf(a.id));
  });
});

describe('execution', () => {
  it('a refusal stops only what depends on it, and every failure is reported', async () => {
    const driver = new FakeDriver(/link add name ve-c1-venet0|neigh add proxy 10.0.0.2 /);
    const res = await execute(driver, planFor(3).actions);
    expect(res.failed.map((f) => f.action.id).sort()).toEqual(['link host ve-c1-venet0', 'neighbor host up0 10.0.0.2']);
    const skipped = res.skipped.map((a) => a.id);
    // c1's container end, addresses and routes depend on its veth; c0 and c2 are untouched
    expect(skipped).toContain('link netns:c1 venet0');
    expect(skipped).toContain('route host 10.0.0.3/32');
    expect(skipped.some((id) => /c0|c2|10\.0\.0\.[24]\b/.test(id))).toBe(false);
    const ran = driver.batches.flat();
    expect(ran).toContain('ip -n c2 address add 10.0.0.4/32 dev venet0');
    // in c1 only what does not need the veth ran: its namespace and lo
    expect(ran.filter((l) => l.includes('-n c1 '))).toEqual([
      'ip -n c1 link set dev lo alias ctnet:container/c1@test0001 up',
    ]);
    // the host batch went on after the refused line, without what depended on it
    expect(ran).toContain('ip -n h route add 10.0.0.4/32 dev ve-c2-venet0 proto 241');
  });

  it('verify names what did not converge', async () => {
    // a driver that accepts everything but changes nothing: the next observation still differs
    const driver = new FakeDriver();
    const p = planFor(1);
    const { errors: left } = await verify(
      () => observeFor(driver, buildDesired(set(1)), p.inventory),
      undefined,
      buildDesired(set(1)),
      p.inventory,
      {},
    );
    expect(left.length).toBeGreaterThan(0);
    expect(left[0].code).toBe('verify');
    expect(left.map((e) => e.message)).toContain(
      'did not converge: create netns c0 (container/c0 needs its own network namespace)',
    );
  });
});
