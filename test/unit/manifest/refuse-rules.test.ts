import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';
import { probedPath } from '../../../src/engine/sysctl-scope.js';

/** Issue 19 §2.3-2.5 and §1.2's rules, without a kernel (the corpus runs them on one). */
const root = mkdtempSync(join(tmpdir(), 'ctnet-refuse-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function check(text: string): Promise<string[]> {
  const f = join(root, `${n++}.yaml`);
  writeFileSync(f, text);
  const r = await loadManifests([f]);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

const doc = (kind: string, name: string, spec: string): string =>
  `---\napiVersion: ctnet/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
const VENET = (i: number, host: number): string => `{name: venet${i}, network: pub, addresses: [192.168.200.${host}]}`;
const P2P = '{network: p2p, addresses: [10.31.0.0/31]}';
const OVERLAP = (a: string, b: string, net: string): string =>
  `spec.subnets[0]: subnet ${a} overlaps ${b} of network "${net}": one of them would be unreachable`;
const NOT_NET = (key: string, tree: string): string =>
  `spec.sysctls["${key}"]: "${key}" is not a network sysctl: ` +
  `"${tree}" keys are global to the machine, not kept per network namespace (ctnet sets net.* keys only)`;
const LAN = doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24, "fd00:30::/64"]}');
const PUB = doc('Network', 'pub', '{type: routed, subnets: [192.168.200.0/24]}');

describe('refusals of what cannot work', () => {
  it('subnets that do not overlap pass; a /31 and a /32 have no network or broadcast address', async () => {
    expect(
      await check(
        LAN +
          PUB +
          doc('Network', 'p2p', '{type: bridge, subnets: [10.31.0.0/31]}') +
          doc('Container', 'c', `{interfaces: [${P2P}, {network: lan, addresses: [10.30.0.5/24]}]}`),
      ),
    ).toEqual([]);
  });

  it('a routed network may take its addresses from the LAN of the custom network it publishes on', async () => {
    const lan = doc('Network', 'seg', '{type: custom, interface: enp0s5, subnets: [192.168.200.0/24]}');
    const published = doc('Network', 'pub', '{type: routed, subnets: [192.168.200.0/24], uplink: enp0s5}');
    expect(await check(lan + published)).toEqual([]);
    const s = '192.168.200.0/24';
    expect(await check(lan + PUB)).toEqual([OVERLAP(s, s, 'pub'), OVERLAP(s, s, 'seg')]);
  });

  it('routes: the routed gateway, a next hop in a subnet, link-local with dev and onlink with dev pass', async () => {
    const routes = [
      '{to: 10.50.0.0/16, via: 169.254.0.1}',
      '{to: 10.51.0.0/16, via: 10.30.0.254, dev: eth1}',
      '{to: "fd00:1::/64", via: "fe80::5", dev: eth1}',
      '{to: 10.52.0.0/16, via: 10.99.0.1, dev: eth1, onlink: true}',
      '{to: 10.53.0.0/16, dev: venet0}',
    ].join(', ');
    const ifaces = '[{name: venet0, network: pub, addresses: [192.168.200.5]}, {network: lan}]';
    expect(await check(LAN + PUB + doc('Container', 'c', `{interfaces: ${ifaces}, routes: [${routes}]}`))).toEqual([]);
  });

  it('routes: a next hop outside the subnets of dev, and the gateway of two routed interfaces', async () => {
    const routes = '[{to: 10.51.0.0/16, via: 10.30.0.254, dev: venet0}, {to: 10.50.0.0/16, via: 169.254.0.1}]';
    const ifaces = `[${VENET(0, 5)}, ${VENET(1, 6)}]`;
    expect(await check(LAN + PUB + doc('Container', 'c', `{interfaces: ${ifaces}, routes: ${routes}}`))).toEqual([
      'spec.routes[0].via: next hop 10.30.0.254 is unreachable: it lies in no subnet of interface "venet0" ' +
        '(venet0: routed, gateway 169.254.0.1 / fe80::1); give "dev" and "onlink: true" for a next hop outside them',
      'spec.routes[1].via: 169.254.0.1 is the gateway of routed interfaces venet0, venet1: name one with "dev"',
    ]);
  });

  it('sysctl keys: net.* pass validation (the kernel decides the rest), others are refused at the key', async () => {
    const keys = '{net.core.somaxconn: "1", net/ipv4/ip_forward: "1", kernel.panic: "1", vm/swappiness: "1"}';
    const refused = [NOT_NET('kernel.panic', 'kernel'), NOT_NET('vm/swappiness', 'vm')];
    expect(await check(doc('Host', 'default', `{sysctls: ${keys}}`))).toEqual(refused);
  });

  it('a key is looked up as the probe lists it: slash form, interfaces as lo', () => {
    const keys = [
      'net.core.somaxconn',
      'net/core/somaxconn',
      'net.ipv4.conf.eth0.100.rp_filter',
      'net.ipv4.conf.all.rp_filter',
      'net/ipv6/neigh/br-x.7/proxy_delay',
      'net.ipv4..x',
    ];
    expect(keys.map(probedPath)).toEqual([
      'net/core/somaxconn',
      'net/core/somaxconn',
      'net/ipv4/conf/lo/rp_filter',
      'net/ipv4/conf/all/rp_filter',
      'net/ipv6/neigh/lo/proxy_delay',
      undefined,
    ]);
  });
});
