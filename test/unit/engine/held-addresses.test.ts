import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';
import type { ManifestSet } from '../../../src/manifest/types.js';
import { allocate } from '../../../src/desired/allocate.js';
import { buildDesired } from '../../../src/desired/build.js';
import { heldByHost } from '../../../src/engine/host-held.js';
import { emptyNs, type AddressObj, type ObservedState } from '../../../src/model/kernel.js';
import { emptyInventory } from '../../../src/model/inventory.js';
import { doc, docs } from '../../fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-held-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function load(text: string): Promise<ManifestSet> {
  const f = join(root, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, text);
  const r = await loadManifests([f]);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

const addr = (dev: string, cidr: string): AddressObj => ({ dev, cidr, family: cidr.includes(':') ? 6 : 4 });
const hostWith = (...addresses: AddressObj[]): ObservedState => ({
  host: { ...emptyNs(), links: [{ name: 'eth0', kind: 'veth' }], addresses },
  netnsNames: [],
  namespaces: {},
});

const NETS = docs(
  doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24, "fd00:30::/64"], gateway: 10.30.0.1}'),
  doc('Network', 'pub', '{type: routed, subnets: [192.168.200.0/24]}'),
);
const auto = (name: string, net: string): string =>
  doc('Container', name, `{interfaces: [{name: eth0, network: ${net}}]}`);
const fixed = (name: string, net: string, a: string): string =>
  doc('Container', name, `{interfaces: [{name: eth0, network: ${net}, addresses: [${a}]}]}`);

describe('an explicit address against recorded allocations', () => {
  it('is a problem at the explicit address, naming the holder, of either family', async () => {
    const set = await load(docs(NETS, auto('a', 'lan'), fixed('b', 'lan', '"fd00:30::2/64"'), auto('v', 'pub')));
    const recorded = {
      'container/a/eth0': ['10.30.0.2/24', 'fd00:30::2/64'],
      'container/v/eth0': ['192.168.200.1/32'],
    };
    const r = allocate(set, hostWith(), recorded);
    expect(r.problems).toEqual([
      {
        owner: 'container/b',
        field: 'spec.interfaces[0].addresses[0]',
        message:
          'fd00:30::2 is allocated automatically to Container "a" (interface eth0); ' +
          'give Container "a" an explicit address, or choose another one here',
      },
    ]);
  });

  it('a gateway equal to an allocation is one too; without a record there is nothing to refuse', async () => {
    const lan = doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: [10.30.0.1, 10.30.0.2]}');
    const set = await load(docs(lan, auto('a', 'lan'), auto('c', 'lan')));
    const r = allocate(set, hostWith(), { 'container/a/eth0': ['10.30.0.2/24'] });
    expect(r.problems.map((p) => `${p.owner} ${p.field}`)).toEqual(['network/lan spec.gateway[1]']);
    const fresh = allocate(set, hostWith(), {}).allocations.map((a) => a.addresses);
    expect(fresh).toEqual([['10.30.0.3/24'], ['10.30.0.4/24']]);
  });

  it("allocation passes over the host's addresses of each family, and over other namespaces'", async () => {
    const set = await load(docs(NETS, auto('a', 'lan')));
    const x = { ...emptyNs(), addresses: [addr('e', '10.30.0.3/24')] };
    const o = { ...hostWith(addr('eth0', '10.30.0.2/32'), addr('eth0', 'fd00:30::1/128')), namespaces: { x } };
    expect(allocate(set, o, {}).allocations[0].addresses).toEqual(['10.30.0.4/24', 'fd00:30::2/64']);
  });
});

describe('an explicit address the host holds', () => {
  it('is a problem at the address, naming the interface, for gateways and interfaces alike', async () => {
    const set = await load(docs(NETS, fixed('r', 'pub', '192.168.200.9'), fixed('b', 'lan', '"fd00:30::9/64"')));
    const o = hostWith(addr('eth0', '192.168.200.9/24'), addr('eth0', 'fd00:30::9/128'), addr('eth0', '10.30.0.1/32'));
    const out = heldByHost(set, buildDesired(set), o, emptyInventory('i1'));
    expect(out.map((p) => `${p.owner} ${p.field}: ${p.message}`).sort()).toEqual([
      'container/b spec.interfaces[0].addresses[0]: fd00:30::9 is in use on the host (eth0)',
      'container/r spec.interfaces[0].addresses[0]: 192.168.200.9 is in use on the host (eth0)',
      'network/lan spec.gateway: 10.30.0.1 is in use on the host (eth0)',
    ]);
  });

  it('never counts what ctnet holds: its own links, an address where ctnet itself puts it', async () => {
    const set = await load(docs(NETS, fixed('r', 'pub', '192.168.200.9')));
    const inv = { ...emptyInventory('i1'), objects: { 'link host br-old': { owner: 'network/old' } } };
    const o = { ...hostWith(addr('br-old', '192.168.200.9/32'), addr('br-lan', '10.30.0.1/24')) };
    expect(heldByHost(set, buildDesired(set), o, inv)).toEqual([]);
  });

  it("another tool's namespace, neither ours nor wanted, shares no network with ours: its addresses stay free", async () => {
    const set = await load(docs(NETS, auto('a', 'lan')));
    const x = { ...emptyNs(), addresses: [addr('e', '10.30.0.2/24')] };
    const o = { ...hostWith(), namespaces: { x } };
    expect(allocate(set, o, {}, new Set()).allocations[0].addresses[0]).toBe('10.30.0.2/24');
    expect(allocate(set, o, {}, new Set(['x'])).allocations[0].addresses[0]).toBe('10.30.0.3/24');
  });
});
