import type { Sandbox } from './sandbox.js';

/**
 * Two generations of one host, for the demo's LANs (src/demo/host.ts: enp0s5 routed, enp1s0
 * bridged, nic0 to pass through). v1 has every kind of object; v2 changes it in every way: it
 * deletes a container (ct102), gives back a passed-through device (ct301), removes the NAT
 * network (natlan, ct401), releases the bridged uplink (dmz), changes addresses, MTUs, MACs,
 * routes and sysctls in place, allocates and adds containers.
 */
const ct = (name: string, ifaces: string, extra = ''): string =>
  `kind: Container\nmetadata: {name: ${name}}\nspec: {netns: "@${name}", interfaces: [${ifaces}]${extra}}\n`;
const vm = (name: string, iface: string): string =>
  `kind: VirtualMachine\nmetadata: {name: ${name}}\nspec: {interfaces: [${iface}]}\n`;
const net = (name: string, spec: string): string => `kind: Network\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
const host = (sysctls: string): string => `kind: Host\nmetadata: {name: default}\nspec: {sysctls: {${sysctls}}}\n`;
const file = (...docs: string[]): string => docs.map((d) => `apiVersion: ctnet/v1\n${d}`).join('---\n');

const PUBLIC = net('public', '{type: routed, subnets: [192.168.200.0/24, "2001:db8:1::/64"], uplink: enp0s5}');

export const V1: Record<string, string> = {
  'networks.yaml': file(
    PUBLIC,
    net('lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1}'),
    net('dmz', '{type: bridge, bridge: br-dmz, subnets: [10.40.0.0/24], uplink: enp1s0}'),
    net('natlan', '{type: bridge, subnets: [10.50.0.0/24], gateway: 10.50.0.1, nat: true}'),
  ),
  'routed.yaml': file(
    ct('ct101', '{name: venet0, network: public, addresses: [192.168.200.101]}'),
    ct('ct102', '{name: venet0, network: public, addresses: [192.168.200.102, "2001:db8:1::102"]}'),
    ct('ct103', '{name: venet0, network: public, addresses: [192.168.200.103, "2001:db8:1::103"]}'),
    vm('db1', '{network: public, mac: "02:00:c0:a8:c8:96", addresses: [192.168.200.150]}'),
    vm('app1', '{network: public, mac: "02:00:c0:a8:c8:97"}'),
  ),
  'bridged.yaml': file(
    ct(
      'ct201',
      '{name: eth0, network: lan, addresses: [10.30.0.11/24]}, ' +
        '{name: eth1, network: dmz, mac: "02:00:0a:28:00:0b", addresses: [10.40.0.11/24]}',
    ),
    ct(
      'ct202',
      '{name: eth0, network: lan, addresses: [10.30.0.12/24]}',
      ', routes: [{to: 10.60.0.0/16, via: 10.30.0.254}], sysctls: {net.ipv4.conf.all.rp_filter: "2"}',
    ),
    ct('ct204', '{name: eth0, network: lan}'),
    vm('web1', '{network: lan, tap: vme-web1, mac: "02:00:0a:1e:00:15", addresses: [10.30.0.21/24]}'),
  ),
  'passthrough.yaml': file(ct('ct301', '{name: eth1, device: nic0, addresses: [10.1.1.5/24]}')),
  'nat.yaml': file(ct('ct401', '{name: eth0, network: natlan, addresses: [10.50.0.11/24]}')),
  'host.yaml': file(
    host(
      'net.ipv4.conf.all.arp_ignore: 1, net.ipv4.conf.enp1s0.proxy_arp: 1, ' +
        'net.ipv4.conf.enp1s0.forwarding: 0, net.ipv6.conf.enp1s0.forwarding: 0',
    ),
  ),
};

export const V2: Record<string, string> = {
  'networks.yaml': file(
    PUBLIC,
    net('lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1, mtu: 1400}'),
    net('dmz', '{type: bridge, bridge: br-dmz, subnets: [10.40.0.0/24]}'),
  ),
  'routed.yaml': file(
    ct('ct101', '{name: venet0, network: public, addresses: [192.168.200.111]}'),
    ct('ct103', '{name: venet0, network: public, mtu: 1400, addresses: [192.168.200.103, "2001:db8:1::113"]}'),
    ct('ct105', '{name: venet0, network: public, addresses: [192.168.200.105]}'),
    vm('db1', '{network: public, mac: "02:00:c0:a8:c8:98", addresses: [192.168.200.151]}'),
    vm('app1', '{network: public, mac: "02:00:c0:a8:c8:97"}'),
    vm('app2', '{network: public, mac: "02:00:c0:a8:c8:99"}'),
  ),
  'bridged.yaml': file(
    ct(
      'ct201',
      '{name: eth0, network: lan, addresses: [10.30.0.11/24, 10.30.0.31/24]}, ' +
        '{name: eth1, network: dmz, mac: "02:00:0a:28:00:0c", mtu: 1300, addresses: [10.40.0.12/24]}',
    ),
    ct(
      'ct202',
      '{name: eth0, network: lan, addresses: [10.30.0.12/24]}',
      ', routes: [{to: 10.70.0.0/16, via: 10.30.0.254}], sysctls: {net.ipv4.conf.all.rp_filter: "1"}',
    ),
    ct('ct204', '{name: eth0, network: lan}'),
    ct('ct205', '{name: eth0, network: lan}'),
    vm('web1', '{network: lan, tap: vme-web1, mac: "02:00:0a:1e:00:16", addresses: [10.30.0.21/24]}'),
  ),
  'host.yaml': file(host('net.ipv4.conf.all.arp_ignore: 2, net.ipv4.conf.enp0s5.proxy_arp: 1')),
};

/** Writes a generation under `dir` in the sandbox's manifest directory; returns its path. */
export function writeWorld(sb: Sandbox, dir: string, world: Record<string, string>): string {
  for (const [name, text] of Object.entries(world)) sb.write(`${dir}/${name}`, text);
  return `${sb.manifestDir}/${dir}`;
}
