import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, sh } from './sandbox.js';
import { doc, docs, routedNet } from '../fixtures.js';

const BRIDGE = (name: string, subnets: string, gw: string): string => doc('Network', name, `{type: bridge, subnets: [${subnets}], gateway: [${gw}]}`);
const auto = (name: string, net: string, ifname = 'eth0'): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [{name: ${ifname}, network: ${net}}]}`);
const fixed = (name: string, net: string, addrs: string, ifname = 'eth0'): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [{name: ${ifname}, network: ${net}, addresses: [${addrs}]}]}`);

/** What a refusal must leave exactly as it was: the host's objects, its nftables, this sandbox's namespaces. */
function hostState(sb: Sandbox) {
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
