import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, sh, waitUntil } from './sandbox.js';
import { doc, docs, routedNet } from '../fixtures.js';

// every test applies several times on a loaded 2-core machine
vi.setConfig({ testTimeout: 180_000 });

const BRIDGE = (name: string, subnets: string, gw: string): string => doc('Network', name, `{type: bridge, subnets: [${subnets}], gateway: [${gw}]}`);
const auto = (name: string, net: string, ifname = 'eth0'): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [{name: ${ifname}, network: ${net}}]}`);
const fixed = (name: string, net: string, addrs: string, ifname = 'eth0'): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [{name: ${ifname}, network: ${net}, addresses: [${addrs}]}]}`);

/**
 * What a refusal must leave exactly as it was: the host's objects, its nftables, this sandbox's
 * namespaces. Read once the kernel has finished DAD on the host's links (it adds routes then).
 */
function hostState(sb: Sandbox) {
  waitUntil(() => ipj(sb.host, '-6', 'addr', 'show', 'tentative').every((l) => !l.addr_info?.length), 20_000);
  return { host: hostSnapshot(sb.host), nft: sh('ip', 'netns', 'exec', sb.host, 'nft', 'list', 'ruleset'), namespaces: sb.namespaces() };
}

const addrsOf = (ns: string, dev: string): string[] =>
  ipj(ns, 'addr', 'show', 'dev', dev).flatMap((l) => l.addr_info.filter((a: any) => !a.local.startsWith('fe80')).map((a: any) => `${a.local}/${a.prefixlen}`)).sort();

/** Issue 19 §2.1: an explicit address that IPAM already gave another container or VM. */
describe('an explicit address another object holds by automatic allocation', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.external('lan', 'up0', '192.168.231.254/24', '192.168.231.253/24');
    sb.write('nets.yaml', docs(BRIDGE('lan', '10.31.0.0/24, "2001:db8:31::/64"', '10.31.0.1, "2001:db8:31::1"'), routedNet('pub', '192.168.231.0/24', ', uplink: up0')));
    sb.write('a.yaml', docs(auto('a', 'lan'), auto('r', 'pub', 'venet0'), doc('VirtualMachine', 'v', '{interfaces: [{network: pub}]}')));
  });
  afterAll(() => sb.cleanup());

  it('is refused at the explicit address, naming the holder, bridged and routed, containers and VMs', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(addrsOf(sb.ns('a'), 'eth0')).toEqual(['10.31.0.2/24', '2001:db8:31::2/64']);
    expect(addrsOf(sb.ns('r'), 'venet0')).toEqual(['192.168.231.1/32']);
    const st = JSON.parse(expectExit(sb.ctnet('--json', 'status'), 0).stdout);
    expect(Object.values(st.allocations)).toContainEqual(['192.168.231.2/32']);
    sb.write('b.yaml', docs(fixed('b', 'lan', '10.31.0.2/24, "2001:db8:31::2/64"'), fixed('c', 'pub', '192.168.231.1', 'venet0'), fixed('d', 'pub', '192.168.231.2', 'venet0')));
    const before = hostState(sb);
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    const lines = r.stderr.split('\n');
    const at = (re: RegExp): void => void expect(lines.some((l) => re.test(l)), r.stderr).toBe(true);
    at(/b\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 10\.31\.0\.2 is allocated automatically to Container "a" \(interface eth0\); give Container "a" an explicit address, or choose another one here$/);
    at(/b\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[1\]: 2001:db8:31::2 is allocated automatically to Container "a" \(interface eth0\)/);
    at(/b\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 192\.168\.231\.1 is allocated automatically to Container "r" \(interface venet0\)/);
    at(/b\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 192\.168\.231\.2 is allocated automatically to VirtualMachine "v" \(interface /);
    expect(hostState(sb)).toEqual(before);
    // plan says so too: never "No changes"
    expectExit(sb.ctnet('plan', sb.manifestDir), 3);
  });

  it('is accepted once the holder has an explicit address of its own', () => {
    sb.write('a.yaml', docs(fixed('a', 'lan', '10.31.0.9/24'), auto('r', 'pub', 'venet0'), doc('VirtualMachine', 'v', '{interfaces: [{network: pub}]}')));
    sb.write('b.yaml', fixed('b', 'lan', '10.31.0.2/24'));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(addrsOf(sb.ns('a'), 'eth0')).toEqual(['10.31.0.9/24']);
    expect(addrsOf(sb.ns('b'), 'eth0')).toEqual(['10.31.0.2/24']);
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });
});

/** Issue 19 §2.2: an address the host already holds on an interface ctnet does not own. */
describe('an explicit address the host already holds', () => {
  const sb = new Sandbox();
  const HELD = ['10.32.0.5/32', '2001:db8:32::5/128', '10.33.0.1/32', '192.168.232.7/32', '10.34.0.5/32', '10.35.0.5/32', '10.32.0.2/32', '2001:db8:32::2/128'];
  beforeAll(() => {
    sb.external('lan', 'up2', '192.168.232.1/24', '192.168.232.254/24');
    // a local service's addresses on an interface of the host's own, and a NIC to pass through
    sh('ip', '-n', sb.host, 'link', 'add', 'hd0', 'up', 'type', 'veth', 'peer', 'name', 'hd1');
    for (const a of HELD) sh('ip', '-n', sb.host, 'addr', 'add', a, 'dev', 'hd0', ...(a.includes(':') ? ['nodad'] : []));
    sh('ip', '-n', sb.host, 'link', 'add', 'pt0', 'type', 'veth', 'peer', 'name', 'pt1');
    sb.write('nets.yaml', docs(
      routedNet('pub', '192.168.232.0/24', ', uplink: up2'),
      BRIDGE('lan2', '10.32.0.0/24, "2001:db8:32::/64"', '10.32.0.1, "2001:db8:32::1"'),
      BRIDGE('lan3', '10.33.0.0/24', '10.33.0.1'),
      doc('Network', 'lo5', '{type: loopback, subnets: [10.35.0.0/24]}'),
    ));
  });
  afterAll(() => sb.cleanup());

  it('is refused for every driver and network type, located, with the interface named; nothing changes', () => {
    sb.write('cts.yaml', docs(
      fixed('r1', 'pub', '192.168.232.1', 'venet0'),
      fixed('b1', 'lan2', '10.32.0.5/24, "2001:db8:32::5/64"'),
      doc('VirtualMachine', 'v1', '{interfaces: [{network: pub, addresses: [192.168.232.7]}]}'),
      doc('Container', 'p1', '{netns: "@p1", interfaces: [{name: eth9, device: pt0, addresses: [10.34.0.5/24]}]}'),
      doc('Container', 'i1', '{driver: ipnet, interfaces: [{network: lo5, addresses: [10.35.0.5]}]}'),
    ));
    const before = hostState(sb);
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    const lines = r.stderr.split('\n');
    const at = (re: RegExp): void => void expect(lines.some((l) => re.test(l)), r.stderr).toBe(true);
    at(/cts\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 192\.168\.232\.1 is in use on the host \(up2\)$/);
    at(/cts\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 10\.32\.0\.5 is in use on the host \(hd0\)$/);
    at(/cts\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[1\]: 2001:db8:32::5 is in use on the host \(hd0\)$/);
    at(/cts\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 192\.168\.232\.7 is in use on the host \(hd0\)$/);
    at(/cts\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 10\.34\.0\.5 is in use on the host \(hd0\)$/);
    at(/cts\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 10\.35\.0\.5 is in use on the host \(hd0\)$/);
    at(/nets\.yaml:\d+:\d+: spec\.gateway\[0\]: 10\.33\.0\.1 is in use on the host \(hd0\)$/);
    expect(lines.filter((l) => l.includes('is in use on the host'))).toHaveLength(7);
    expect(hostState(sb)).toEqual(before);
    expectExit(sb.ctnet('plan', sb.manifestDir), 3);
  });

  it('automatic allocation passes over the host\'s addresses of each family; the gateway and the rest are fine', () => {
    sb.write('nets.yaml', docs(routedNet('pub', '192.168.232.0/24', ', uplink: up2'), BRIDGE('lan2', '10.32.0.0/24, "2001:db8:32::/64"', '10.32.0.1, "2001:db8:32::1"')));
    sb.write('cts.yaml', docs(auto('a1', 'lan2'), fixed('b1', 'lan2', '10.32.0.9/24')));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(addrsOf(sb.ns('a1'), 'eth0')).toEqual(['10.32.0.3/24', '2001:db8:32::3/64']);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });
});

/** Issue 19 §2.6: `destroy PATH` of a network that objects outside PATH still use. */
describe('a partial destroy of a network still in use', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.write('nets.yaml', docs(BRIDGE('lan', '10.36.0.0/24', '10.36.0.1'), doc('Network', 'lo6', '{type: loopback, subnets: [10.37.0.0/24]}')));
    sb.write('vm.yaml', doc('VirtualMachine', 'w', '{interfaces: [{network: lan, tap: tap-w}]}'));
    sb.write('ct.yaml', auto('c', 'lan'));
    sb.write('ipn.yaml', doc('Container', 'i', '{driver: ipnet, interfaces: [{network: lo6, addresses: [10.37.0.5]}, {network: lan, addresses: [10.36.0.50]}]}'));
  });
  afterAll(() => sb.cleanup());

  it('is refused, naming every user outside PATH; nothing changes', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const before = hostState(sb);
    const r = expectExit(sb.ctnet('destroy', `${sb.manifestDir}/nets.yaml`), 3);
    const lines = r.stderr.split('\n');
    const lan = lines.find((l) => /nets\.yaml:\d+:\d+: metadata\.name: destroying network\/lan would delete link br-lan, which /.test(l));
    expect(lan, r.stderr).toBeDefined();
    for (const user of ['container/c (link ve-c-eth0)', 'container/i (address 10.36.0.50/24 dev br-lan)', 'vm/w (link tap-w)']) expect(lan).toContain(user);
    expect(lan).toMatch(/still use: destroy them in the same run \(name their manifests too\), or keep it$/);
    expect(lines.some((l) => /nets\.yaml:\d+:\d+: metadata\.name: destroying network\/lo6 would delete link lo-lo6, which container\/i \(address 10\.37\.0\.5\/24 dev lo-lo6\) still uses: /.test(l)), r.stderr).toBe(true);
    // a dry run says the same
    expectExit(sb.ctnet('destroy', '--dry-run', `${sb.manifestDir}/nets.yaml`), 3);
    expect(hostState(sb)).toEqual(before);
    expect(ipj(sb.host, 'link', 'show', 'dev', 'tap-w')[0].master).toBe('br-lan');
  });

  it('goes through when PATH names the users too, or once they are gone', () => {
    expectExit(sb.ctnet('destroy', '-q', `${sb.manifestDir}/vm.yaml`, `${sb.manifestDir}/ct.yaml`), 0);
    expectExit(sb.ctnet('destroy', '-q', `${sb.manifestDir}/nets.yaml`, `${sb.manifestDir}/ipn.yaml`), 0);
    expect(ipj(sb.host, 'link', 'show').map((l) => l.ifname).filter((n) => /^(br|ve|lo|tap)-/.test(n))).toEqual([]);
  });
});
