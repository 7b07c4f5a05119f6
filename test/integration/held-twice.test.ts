import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, sh, waitUntil, type RunResult } from './sandbox.js';
import { doc, docs, routedNet } from '../fixtures.js';

// every test applies several times on a loaded 2-core machine
vi.setConfig({ testTimeout: 180_000 });

const BRIDGE = (name: string, subnets: string, gw: string): string =>
  doc('Network', name, `{type: bridge, subnets: [${subnets}], gateway: [${gw}]}`);
const auto = (name: string, net: string, ifname = 'eth0'): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [{name: ${ifname}, network: ${net}}]}`);
const fixed = (name: string, net: string, addrs: string, ifname = 'eth0'): string => {
  const itf = `{name: ${ifname}, network: ${net}, addresses: [${addrs}]}`;
  return doc('Container', name, `{netns: "@${name}", interfaces: [${itf}]}`);
};
const VM = (name: string, itf: string): string => doc('VirtualMachine', name, `{interfaces: [${itf}]}`);

/**
 * What a refusal must leave exactly as it was: the host's objects, its nftables, this sandbox's
 * namespaces. Read once the kernel has finished DAD on the host's links (it adds routes then).
 */
function hostState(sb: Sandbox) {
  waitUntil(() => ipj(sb.host, '-6', 'addr', 'show', 'tentative').every((l) => !l.addr_info?.length), 20_000);
  const nft = sh('ip', 'netns', 'exec', sb.host, 'nft', 'list', 'ruleset');
  return { host: hostSnapshot(sb.host), nft, namespaces: sb.namespaces() };
}

const addrsOf = (ns: string, dev: string): string[] =>
  ipj(ns, 'addr', 'show', 'dev', dev)
    .flatMap((l) => l.addr_info.filter((a: any) => !a.local.startsWith('fe80')))
    .map((a: any) => `${a.local}/${a.prefixlen}`)
    .sort();

/** One line of stderr matches `re` (an error line is `error: FILE:LINE:COL: PATH: MESSAGE`). */
function expectLine(r: RunResult, re: RegExp): string {
  const line = r.stderr.split('\n').find((l) => re.test(l));
  expect(line, r.stderr).toBeDefined();
  return line!;
}

/** Issue 19 §2.1: an explicit address that IPAM already gave another container or VM. */
describe('an explicit address another object holds by automatic allocation', () => {
  const sb = new Sandbox();
  const A = docs(auto('a', 'lan'), auto('r', 'pub', 'venet0'), VM('v', '{network: pub}'));
  beforeAll(() => {
    sb.external('lan', 'up0', '192.168.231.254/24', '192.168.231.253/24');
    const lan = BRIDGE('lan', '10.31.0.0/24, "2001:db8:31::/64"', '10.31.0.1, "2001:db8:31::1"');
    sb.write('nets.yaml', docs(lan, routedNet('pub', '192.168.231.0/24', ', uplink: up0')));
    sb.write('a.yaml', A);
  });
  afterAll(() => sb.cleanup());

  it('is refused at the explicit address, naming the holder, bridged and routed, containers and VMs', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(addrsOf(sb.ns('a'), 'eth0')).toEqual(['10.31.0.2/24', '2001:db8:31::2/64']);
    expect(addrsOf(sb.ns('r'), 'venet0')).toEqual(['192.168.231.1/32']);
    const st = JSON.parse(expectExit(sb.ctnet('--json', 'status'), 0).stdout);
    expect(Object.values(st.allocations)).toContainEqual(['192.168.231.2/32']);
    const b = fixed('b', 'lan', '10.31.0.2/24, "2001:db8:31::2/64"');
    const c = fixed('c', 'pub', '192.168.231.1', 'venet0');
    sb.write('b.yaml', docs(b, c, fixed('d', 'pub', '192.168.231.2', 'venet0')));
    const before = hostState(sb);
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    const at = (i: number, addr: string, holder: string): string => {
      const field = `spec\\.interfaces\\[0\\]\\.addresses\\[${i}\\]`;
      return expectLine(r, new RegExp(`b\\.yaml:\\d+:\\d+: ${field}: ${addr} is allocated automatically to ${holder}`));
    };
    expect(at(0, '10\\.31\\.0\\.2', 'Container "a" \\(interface eth0\\)')).toMatch(
      /; give Container "a" an explicit address, or choose another one here$/,
    );
    at(1, '2001:db8:31::2', 'Container "a" \\(interface eth0\\)');
    at(0, '192\\.168\\.231\\.1', 'Container "r" \\(interface venet0\\)');
    at(0, '192\\.168\\.231\\.2', 'VirtualMachine "v" \\(interface ');
    expect(hostState(sb)).toEqual(before);
    // plan says so too: never "No changes"
    expectExit(sb.ctnet('plan', sb.manifestDir), 3);
  });

  it('is accepted once the holder has an explicit address of its own', () => {
    sb.write('a.yaml', A.replace(auto('a', 'lan'), fixed('a', 'lan', '10.31.0.9/24')));
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
  const HELD = [
    '10.32.0.5/32',
    '2001:db8:32::5/128',
    '10.33.0.1/32',
    '192.168.232.7/32',
    '10.34.0.5/32',
    '10.35.0.5/32',
    '10.32.0.2/32',
    '2001:db8:32::2/128',
  ];
  const PUB = routedNet('pub', '192.168.232.0/24', ', uplink: up2');
  const LAN2 = BRIDGE('lan2', '10.32.0.0/24, "2001:db8:32::/64"', '10.32.0.1, "2001:db8:32::1"');
  beforeAll(() => {
    sb.external('lan', 'up2', '192.168.232.1/24', '192.168.232.254/24');
    // a local service's addresses on an interface of the host's own, and a NIC to pass through
    sh('ip', '-n', sb.host, 'link', 'add', 'hd0', 'up', 'type', 'veth', 'peer', 'name', 'hd1');
    for (const a of HELD) {
      sh('ip', '-n', sb.host, 'addr', 'add', a, 'dev', 'hd0', ...(a.includes(':') ? ['nodad'] : []));
    }
    sh('ip', '-n', sb.host, 'link', 'add', 'pt0', 'type', 'veth', 'peer', 'name', 'pt1');
    const lo5 = doc('Network', 'lo5', '{type: loopback, subnets: [10.35.0.0/24]}');
    sb.write('nets.yaml', docs(PUB, LAN2, BRIDGE('lan3', '10.33.0.0/24', '10.33.0.1'), lo5));
  });
  afterAll(() => sb.cleanup());

  it('is refused for every driver and network type, located, with the interface named; nothing changes', () => {
    sb.write(
      'cts.yaml',
      docs(
        fixed('r1', 'pub', '192.168.232.1', 'venet0'),
        fixed('b1', 'lan2', '10.32.0.5/24, "2001:db8:32::5/64"'),
        VM('v1', '{network: pub, addresses: [192.168.232.7]}'),
        doc('Container', 'p1', '{netns: "@p1", interfaces: [{name: eth9, device: pt0, addresses: [10.34.0.5/24]}]}'),
        doc('Container', 'i1', '{driver: ipnet, interfaces: [{network: lo5, addresses: [10.35.0.5]}]}'),
      ),
    );
    const before = hostState(sb);
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    const at = (file: string, field: string, addr: string, dev: string): string =>
      expectLine(r, new RegExp(`${file}\\.yaml:\\d+:\\d+: ${field}: ${addr} is in use on the host \\(${dev}\\)$`));
    const first = 'spec\\.interfaces\\[0\\]\\.addresses\\[0\\]';
    at('cts', first, '192\\.168\\.232\\.1', 'up2');
    at('cts', first, '10\\.32\\.0\\.5', 'hd0');
    at('cts', 'spec\\.interfaces\\[0\\]\\.addresses\\[1\\]', '2001:db8:32::5', 'hd0');
    for (const addr of ['192\\.168\\.232\\.7', '10\\.34\\.0\\.5', '10\\.35\\.0\\.5']) at('cts', first, addr, 'hd0');
    at('nets', 'spec\\.gateway\\[0\\]', '10\\.33\\.0\\.1', 'hd0');
    expect(r.stderr.split('\n').filter((l) => l.includes('is in use on the host'))).toHaveLength(7);
    expect(hostState(sb)).toEqual(before);
    expectExit(sb.ctnet('plan', sb.manifestDir), 3);
  });

  it("automatic allocation passes over the host's addresses of each family; the gateway and the rest are fine", () => {
    sb.write('nets.yaml', docs(PUB, LAN2));
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
  const path = (...files: string[]): string[] => files.map((f) => `${sb.manifestDir}/${f}`);
  beforeAll(() => {
    const lo6 = doc('Network', 'lo6', '{type: loopback, subnets: [10.37.0.0/24]}');
    sb.write('nets.yaml', docs(BRIDGE('lan', '10.36.0.0/24', '10.36.0.1'), lo6));
    sb.write('vm.yaml', VM('w', '{network: lan, tap: tap-w}'));
    sb.write('ct.yaml', auto('c', 'lan'));
    const ipnet = '{network: lo6, addresses: [10.37.0.5]}, {network: lan, addresses: [10.36.0.50]}';
    sb.write('ipn.yaml', doc('Container', 'i', `{driver: ipnet, interfaces: [${ipnet}]}`));
  });
  afterAll(() => sb.cleanup());

  it('is refused, naming every user outside PATH; nothing changes', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const before = hostState(sb);
    const r = expectExit(sb.ctnet('destroy', ...path('nets.yaml')), 3);
    const at = 'nets\\.yaml:\\d+:\\d+: metadata\\.name: destroying';
    const lan = expectLine(r, new RegExp(`${at} network/lan would delete link br-lan, which `));
    const users = [
      'container/c (link ve-c-eth0)',
      'container/i (address 10.36.0.50/24 dev br-lan)',
      'vm/w (link tap-w)',
    ];
    for (const user of users) expect(lan).toContain(user);
    expect(lan).toMatch(/ still use: destroy them in the same run \(name their manifests too\), or keep it$/);
    const lo6 = expectLine(r, new RegExp(`${at} network/lo6 would delete link lo-lo6, which `));
    expect(lo6).toContain('which container/i (address 10.37.0.5/24 dev lo-lo6) still uses: ');
    // a dry run says the same
    expectExit(sb.ctnet('destroy', '--dry-run', ...path('nets.yaml')), 3);
    expect(hostState(sb)).toEqual(before);
    expect(ipj(sb.host, 'link', 'show', 'dev', 'tap-w')[0].master).toBe('br-lan');
  });

  it('goes through when PATH names the users too, or once they are gone', () => {
    expectExit(sb.ctnet('destroy', '-q', ...path('vm.yaml', 'ct.yaml')), 0);
    expectExit(sb.ctnet('destroy', '-q', ...path('nets.yaml', 'ipn.yaml')), 0);
    expect(
      ipj(sb.host, 'link', 'show')
        .map((l) => l.ifname)
        .filter((n) => /^(br|ve|lo|tap)-/.test(n)),
    ).toEqual([]);
  });
});
