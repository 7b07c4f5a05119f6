import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKernel } from '../../../src/import/kernel.js';
import { emitYaml } from '../../../src/import/emit.js';
import { validate } from '../../../src/engine/inspect.js';
import { emptyNs, type LinkObj, type ObservedState } from '../../../src/model/kernel.js';
import { expectGolden } from './golden-file.js';

const veth = (name: string, ifindex: number, peerIfindex: number, more: Partial<LinkObj> = {}): LinkObj => ({
  name,
  kind: 'veth',
  mtu: 1500,
  up: true,
  ifindex,
  peerIfindex,
  ...more,
});
const lo: LinkObj = { name: 'lo', kind: 'device', up: true, ifindex: 1 };

/**
 * A host built by hand: bridge br0 with a NIC, a tap and the veths of namespaces a and b; c on a
 * veth the host routes one address to (venet-like); d is ctnet's own, and so is bridge br-lan.
 */
const observed: ObservedState = {
  host: {
    ...emptyNs(),
    links: [
      lo,
      { name: 'br0', kind: 'bridge', up: true, mtu: 1500, ifindex: 2 },
      { name: 'eth9', kind: 'device', up: true, mtu: 1500, master: 'br0', ifindex: 3 },
      { name: 'eth8', kind: 'device', up: true, mtu: 1500, ifindex: 4 },
      veth('veth-a', 5, 2, { master: 'br0', peerNetnsId: 0 }),
      veth('veth-b', 6, 2, { master: 'br0', peerNetnsId: 1 }),
      { name: 'tap0', kind: 'tap', up: true, master: 'br0', ifindex: 7 },
      veth('vr-c', 8, 2, { peerNetnsId: 2 }),
      { name: 'br-lan', kind: 'bridge', up: true, alias: 'ctnet:network/lan@i1', ifindex: 9 },
    ],
    addresses: [
      { dev: 'br0', family: 4, cidr: '10.77.0.1/24' },
      { dev: 'br0', family: 4, cidr: '10.77.0.2/24' },
      { dev: 'br0', family: 6, cidr: 'fd77::1/64' },
      { dev: 'br0', family: 6, cidr: 'fe80::1234/64' },
    ],
    routes: [{ family: 4, dst: '10.78.0.5/32', dev: 'vr-c', protocol: 3 }],
    neighbors: [{ family: 4, dst: '10.78.0.5', dev: 'eth8', proxy: true }],
  },
  netnsNames: ['a', 'b', 'c', 'd', 'h'],
  netnsIds: { a: 0, b: 1, c: 2, d: 3 },
  namespaces: {
    a: {
      ...emptyNs(),
      links: [lo, veth('eth0', 2, 5, { mac: '02:00:00:00:00:0a' })],
      addresses: [
        { dev: 'eth0', family: 4, cidr: '10.77.0.11/24' },
        { dev: 'eth0', family: 6, cidr: 'fd77::11/64' },
        { dev: 'eth0', family: 6, cidr: 'fe80::a/64' },
      ],
      routes: [
        { family: 4, dst: 'default', via: '10.77.0.1', dev: 'eth0', protocol: 3 },
        { family: 4, dst: '10.99.0.0/16', via: '10.77.0.254', dev: 'eth0', protocol: 3 },
        { family: 4, dst: '10.77.0.0/24', dev: 'eth0', protocol: 2 },
      ],
    },
    b: {
      ...emptyNs(),
      links: [lo, veth('eth0', 2, 6, { mac: '02:00:00:00:00:0b', mtu: 9000 }), { name: 'dm0', kind: 'dummy' }],
      addresses: [{ dev: 'eth0', family: 4, cidr: '10.77.0.12/24' }],
      routes: [{ family: 4, dst: 'default', via: '10.77.0.254', dev: 'eth0', protocol: 3 }],
    },
    c: {
      ...emptyNs(),
      links: [lo, veth('eth0', 2, 8, { mac: '02:00:00:00:00:0c' })],
      addresses: [{ dev: 'eth0', family: 4, cidr: '10.78.0.5/32' }],
      routes: [{ family: 4, dst: 'default', via: '169.254.0.1', dev: 'eth0', onlink: true, protocol: 3 }],
    },
    d: { ...emptyNs(), links: [{ ...lo, alias: 'ctnet:container/d@i1' }] },
  },
};

describe('ctnet import kernel (offline, from an observation)', () => {
  const r = describeKernel(observed, ['a', 'b', 'c', 'd'], 'h');
  const yaml = emitYaml(r);

  it('describes bridges, routed veths and namespaces as valid manifests (golden YAML)', async () => {
    expectGolden(yaml, 'test/unit/fixtures/import-kernel.expected.yaml');
    const tmp = mkdtempSync(join(tmpdir(), 'ctnet-import-'));
    try {
      writeFileSync(join(tmp, 'host.yaml'), yaml);
      const v = await validate([join(tmp, 'host.yaml')]);
      expect(v.errors).toEqual([]);
      expect(v.objects).toBe(5);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('keeps namespace names, bridge names and MACs as the kernel has them', () => {
    const byName = new Map(r.docs.map((d) => [d.name, d]));
    expect(byName.get('br0')?.spec).toEqual({
      type: 'bridge',
      bridge: 'br0',
      subnets: ['10.77.0.0/24', 'fd77::/64'],
      gateway: ['10.77.0.1', 'fd77::1'],
      uplink: 'eth9',
    });
    expect(byName.get('routed')?.spec).toEqual({ type: 'routed', uplink: 'eth8' });
    expect(byName.get('a')?.spec).toEqual({
      netns: 'a',
      interfaces: [
        { name: 'eth0', network: 'br0', mac: '02:00:00:00:00:0a', addresses: ['10.77.0.11/24', 'fd77::11/64'] },
      ],
      routes: [{ to: '10.99.0.0/16', via: '10.77.0.254', dev: 'eth0' }],
    });
    expect(byName.get('c')?.spec).toEqual({
      netns: 'c',
      interfaces: [{ name: 'eth0', network: 'routed', mac: '02:00:00:00:00:0c', addresses: ['10.78.0.5'] }],
    });
  });

  it('warns of what it cannot describe, and leaves ctnet’s own objects to their manifests', () => {
    expect(r.warnings).toEqual([
      "bridge br-lan is ctnet's (network/lan): its manifests describe it; skipped",
      "bridge br0: port tap0 is a tap (a VM's NIC?): a VirtualMachine manifest names it as its tap: not described",
      'bridge br0: 10.77.0.2/24 not described: a bridge network holds one gateway per family',
      'namespace b: dm0 (dummy) not described: only veths to the host are',
      'namespace b: route default via 10.77.0.254 dev eth0 not described: ' +
        "network br0's gateway 10.77.0.1 gives eth0 its default route",
      "namespace d is ctnet's (container/d): its manifests describe it; skipped",
    ]);
  });
});
