import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { topologyOfKernel, topologyOfManifests, topologyOfPlan } from '../../../src/graph/topology.js';
import type { GraphNode, Topology } from '../../../src/graph/model.js';
import { goldenPlan, manifests } from './fixtures.js';

const node = (t: Topology, id: string): GraphNode => {
  const n = t.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in ${t.nodes.map((x) => x.id).join(' ')}`);
  return n;
};
const texts = (n: GraphNode): string[] => [...n.lines, ...n.rows.flatMap((r) => r.lines)].map((l) => l.text);
const edge = (t: Topology, from: string, to: string) => t.edges.find((e) => e.from === from && e.to === to);
const statuses = (t: Topology) =>
  Object.fromEntries(t.nodes.filter((n) => n.status !== 'same').map((n) => [n.id, n.status]));

describe('the topology of the demo manifests', async () => {
  const { set, desired } = await manifests();
  const t = topologyOfManifests(set, desired);

  it('has a node for every network, container and VM, and nothing changes', () => {
    const ids = t.nodes.map((n) => n.id);
    for (const n of set.networks) expect(ids).toContain(`network-${n.metadata.name}`);
    for (const c of set.containers) expect(ids).toContain(`container-${c.metadata.name}`);
    for (const v of set.vms) expect(ids).toContain(`vm-${v.metadata.name}`);
    expect(statuses(t)).toEqual({});
    expect(t.hostLines).toEqual([]);
  });

  it('a bridged container: its interfaces are rows, reached from their host ends, ports of the bridges', () => {
    expect(node(t, 'container-ct201').rows.map((r) => [r.port, r.lines.map((l) => l.text)])).toEqual([
      ['eth0', ['10.30.0.11/24']],
      ['eth1', ['10.40.0.11/24']],
    ]);
    expect(edge(t, 'network-lan', 'link-ve-ct201-eth0')?.kind).toBe('port');
    expect(edge(t, 'network-dmz', 'link-ve-ct201-eth1')?.kind).toBe('port');
    expect(edge(t, 'link-ve-ct201-eth1', 'container-ct201')).toMatchObject({ kind: 'veth', toPort: 'eth1' });
    // the uplink enslaved to br-dmz
    expect(edge(t, 'nic-enp1s0', 'network-dmz')?.kind).toBe('port');
    expect(node(t, 'network-lan')).toMatchObject({
      kind: 'bridge',
      title: 'br-lan',
      subtitle: 'network lan',
      inHost: true,
    });
  });

  it('a routed network sits between its uplink and the host ends and taps of its guests', () => {
    expect(node(t, 'network-public')).toMatchObject({ kind: 'network', subtitle: 'routed via enp0s5' });
    expect(edge(t, 'nic-enp0s5', 'network-public')?.kind).toBe('proxy');
    for (const l of ['link-ve-ct101-venet0', 'link-ve-ct103-venet0', 'link-tap-db1-0'])
      expect(edge(t, 'network-public', l)?.kind).toBe('routed');
    expect(texts(node(t, 'link-ve-ct103-venet0'))).toEqual(['169.254.0.1/32', 'fe80::1/64']);
    expect(texts(node(t, 'container-ct103'))).toEqual(['192.168.200.103/32', '2001:db8:1::103/128']);
    expect(edge(t, 'link-tap-db1-0', 'vm-db1')?.kind).toBe('tap');
    expect(texts(node(t, 'vm-db1'))).toEqual(['192.168.200.150/32']);
  });

  it('NAT, passthrough, host-stack containers, automatic addresses', () => {
    expect(texts(node(t, 'network-natlan'))).toEqual(['10.50.0.1/24', 'NAT: masquerade 10.50.0.0/24']);
    expect(edge(t, 'device-nic0', 'container-ct301')).toMatchObject({ kind: 'passthrough', toPort: 'eth1' });
    expect(texts(node(t, 'container-ct301'))).toEqual(['passed through: nic0', '10.1.1.5/24']);
    expect(edge(t, 'network-local', 'container-www')).toMatchObject({ kind: 'ipnet', label: '10.9.0.2/24' });
    expect(edge(t, 'network-segment', 'container-mail')).toMatchObject({ kind: 'ipnet', label: '192.168.200.60/24' });
    expect(edge(t, 'nic-enp0s5', 'network-segment')?.kind).toBe('interface');
    expect(node(t, 'container-tool')).toMatchObject({ inHost: true, subtitle: "host's network stack" });
    expect(texts(node(t, 'container-quiet'))).toEqual(['lo only']);
    expect(texts(node(t, 'container-ct204'))).toEqual(['automatic address']);
    expect(texts(node(t, 'vm-app1'))).toEqual(['automatic address']);
    expect(texts(node(t, 'vm-web1'))).toEqual(['10.30.0.21/24 (set in the guest)']);
    expect(texts(node(t, 'container-ct202'))).toEqual(['route 10.60.0.0/16 via 10.30.0.254', '10.30.0.12/24']);
  });

  it('the same manifests give the same topology', async () => {
    const again = await manifests();
    expect(topologyOfManifests(again.set, again.desired)).toEqual(t);
  });
});

describe('the topology of the kernel (a real snapshot, no manifests)', () => {
  const snap = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../golden/noop/observed.json'), 'utf8'));
  const t = topologyOfKernel(snap.observed, snap.inventory);

  it('draws what this instance owns, its networks by the owners its marks name', () => {
    const ids = t.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['network-lan', 'network-dmz', 'container-ct101', 'container-ct201']));
    expect(node(t, 'container-ct201').subtitle).toBe('netns gold-ct201');
    expect(edge(t, 'link-ve-ct201-eth0', 'container-ct201')).toMatchObject({ kind: 'veth', toPort: 'eth0' });
    expect(edge(t, 'nic-enp1s0', 'network-dmz')?.kind).toBe('port');
    // a routed network has no kernel object: the host answers ARP for each guest on the uplink
    expect(ids).not.toContain('network-public');
    expect(edge(t, 'nic-enp0s5', 'link-ve-ct101-venet0')).toMatchObject({ kind: 'proxy', label: 'proxy ARP/NDP' });
    // foreign links (the sandbox's own veths) are not drawn unless ctnet leans on them
    expect(ids.filter((i) => i.startsWith('nic-'))).toEqual(['nic-enp0s5', 'nic-enp1s0']);
    expect(statuses(t)).toEqual({});
  });
});

describe('the topology of a plan', () => {
  it('an empty plan: nothing coloured', async () => {
    const p = await goldenPlan('noop');
    expect(p.plan.actions).toEqual([]);
    expect(statuses(topologyOfPlan(p.plan, p.observed, p))).toEqual({});
  });

  it('drift: what the plan repairs is changed, with what differs', async () => {
    const p = await goldenPlan('drift-link-down');
    const t = topologyOfPlan(p.plan, p.observed, p);
    expect(statuses(t)).toEqual({
      'link-ve-ct101-venet0': 'updated',
      'container-ct101': 'updated',
      'container-ct202': 'updated',
    });
    expect(node(t, 'link-ve-ct101-venet0').lines).toContainEqual({ text: '~ up false → true', status: 'updated' });
    expect(node(t, 'container-ct101').lines).toContainEqual({ text: '+ route 192.168.200.101/32', status: 'created' });
    expect(node(t, 'container-ct202').rows[0]).toMatchObject({ port: 'eth0', status: 'updated' });
    expect(edge(t, 'network-public', 'link-ve-ct101-venet0')?.status).toBe('updated');
  });

  it('a container left out of the manifests is deleted, with its host end; the table it leaves is changed', async () => {
    const p = await goldenPlan('prune-container');
    const t = topologyOfPlan(p.plan, p.observed, p);
    expect(statuses(t)).toEqual({ 'container-ct102': 'deleted', 'link-ve-ct102-venet0': 'deleted' });
    expect(node(t, 'container-ct102').rows[0].lines).toEqual([{ text: '- 192.168.200.102/32', status: 'deleted' }]);
    // no longer in the manifests: placed by the proxy entry the host answers on the uplink
    expect(edge(t, 'nic-enp0s5', 'link-ve-ct102-venet0')?.status).toBe('deleted');
    expect(t.hostLines.map((l) => l.status)).toEqual(['updated']);
  });

  it('a new container and the NIC it takes over are created; a namespace moved is changed', async () => {
    const pass = await goldenPlan('create-passthrough');
    expect(statuses(topologyOfPlan(pass.plan, pass.observed, pass))).toEqual({
      'container-ct301': 'created',
      'device-enp1s0': 'created',
    });
    const moved = await goldenPlan('replace-moved-netns');
    const t = topologyOfPlan(moved.plan, moved.observed, moved);
    expect(node(t, 'container-ct101')).toMatchObject({
      status: 'updated',
      subtitle: 'netns gold-ct101b (was gold-ct101)',
    });
    expect(node(t, 'container-ct101').rows.map((r) => [r.port, r.status])).toEqual([
      ['venet0', 'created'],
      ['venet0@gold-ct101', 'deleted'],
    ]);
  });
});
