import { doc, docs as join } from '../fixtures.js';

/**
 * Golden plan cases. Each case's observed.json is a real `ctnet snapshot` taken by
 * generate.test.ts (GENERATE_GOLDEN=1): apply `base` in a sandbox host namespace, run `drift`,
 * snapshot against `manifests`. golden.test.ts then plans `manifests` against it offline.
 */
export interface GoldenCase {
  readonly name: string;
  /** Manifests applied before the snapshot; none for a fresh host. */
  readonly base?: Record<string, string>;
  /** Commands run by hand after apply (`@host` is the host namespace, `@` the netns prefix). */
  readonly drift?: readonly string[];
  /** Manifests the plan is computed for. */
  readonly manifests: Record<string, string>;
  readonly adopt?: boolean;
  /** Delete state.json after the drift: the snapshot's inventory is rebuilt from the markers. */
  readonly lostState?: boolean;
  /** With Node manifests: the node this host is (`--node`). */
  readonly node?: string;
}

const PUB = doc('Network', 'public', '{type: routed, subnets: [192.168.200.0/24, "2001:db8:1::/64"], uplink: enp0s5}');
export const LAN = (extra = ''): string =>
  doc('Network', 'lan', `{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1${extra}}`);
export const DMZ = doc('Network', 'dmz', '{type: bridge, bridge: br-dmz, subnets: [10.40.0.0/24], uplink: enp1s0}');
export const routed = (n: number, addrs = `[192.168.200.${n}]`): string =>
  doc('Container', `ct${n}`, `{netns: "@ct${n}", interfaces: [{name: venet0, network: public, addresses: ${addrs}}]}`);
export const bridged = (n: number, iface = `{name: eth0, network: lan, addresses: [10.30.0.${n - 190}/24]}`): string =>
  doc('Container', `ct${n}`, `{netns: "@ct${n}", interfaces: [${iface}]}`);

export const ROUTED = { 'network.yaml': PUB, 'containers.yaml': join(routed(101), routed(102), routed(103)) };
export const BRIDGED = {
  'networks.yaml': join(LAN(), DMZ),
  'containers.yaml': join(
    bridged(
      201,
      '{name: eth0, network: lan, addresses: [10.30.0.11/24]}, {name: eth1, network: dmz, mac: "02:00:0a:28:00:0b", addresses: [10.40.0.11/24]}',
    ),
    bridged(202),
  ),
};
export const IPV6 = {
  'network.yaml': PUB,
  'containers.yaml': join(routed(101, '[192.168.200.101, "2001:db8:1::101"]'), routed(102, '["2001:db8:1::102"]')),
};
const vm = (iface: string): string => doc('VirtualMachine', 'vm1', `{interfaces: [${iface}]}`);
export const VM_BRIDGE = {
  'networks.yaml': LAN(),
  'vm.yaml': vm('{network: lan, mac: "02:00:0a:1e:00:21", addresses: [10.30.0.21/24]}, {network: lan, tap: vnic1}'),
};
const VM_ROUTED = {
  'network.yaml': PUB,
  'vm.yaml': vm('{network: public, mac: "02:00:c0:a8:c8:32", addresses: [192.168.200.50, "2001:db8:1::50"]}'),
};
export const VM_BOTH = {
  ...VM_BRIDGE,
  'network.yaml': PUB,
  'vm.yaml': VM_BRIDGE['vm.yaml'].replace('vnic1}', 'vnic1}, {network: public, addresses: [192.168.200.50]}'),
};
/** Nodes h1..hN on the uplink LAN (this host is h1), one VXLAN network with a container on each. */
const FLEET = (n: number): Record<string, string> => {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const node = (i: number) =>
    doc('Node', `h${i}`, `{address: 192.168.200.${i}, interface: enp0s5, blocks: {overlay: 10.50.${i}.0/24}}`);
  const ct = (i: number) =>
    doc('Container', `ov${i}`, `{node: h${i}, netns: "@ov${i}", interfaces: [{name: eth0, network: overlay}]}`);
  const net = doc(
    'Network',
    'overlay',
    '{type: bridge, subnets: [10.50.0.0/16], gateway: 10.50.0.1, vxlan: {vni: 42, gatewayNode: h1}}',
  );
  return { 'nodes.yaml': join(...ids.map(node)), 'network.yaml': net, 'containers.yaml': join(...ids.map(ct)) };
};
export const MIXED = { ...BRIDGED, 'network.yaml': PUB, 'routed.yaml': ROUTED['containers.yaml'] };

// NAT alone (a table with only the masquerade chain), and NAT beside routed interfaces
export const NAT_BRIDGE = { 'networks.yaml': LAN(', nat: true'), 'containers.yaml': bridged(202) };
const MIXED_NAT = { ...MIXED, 'networks.yaml': join(LAN(', nat: true'), DMZ) };

export const PASS = {
  'ct.yaml': doc(
    'Container',
    'ct301',
    '{netns: "@ct301", interfaces: [{name: eth2, device: enp1s0, mtu: 1400, addresses: [10.1.1.5/24]}]}',
  ),
};

// Kleene: a loopback network's interface with ipnet addresses; addresses on a custom interface
const LOOPBACK = {
  'networks.yaml': join(doc('Network', 'local', '{type: loopback, subnets: [10.9.0.0/24, "fd00:9::/64"]}'), LAN()),
  'containers.yaml': join(
    doc(
      'Container',
      'web',
      '{driver: ipnet, interfaces: [{name: site, network: local, addresses: [10.9.0.2, "fd00:9::2"]}, {network: lan, addresses: [10.30.0.50]}]}',
    ),
    doc('Container', 'off', '{driver: disabled, netns: "@off"}'),
    doc('Container', 'plain', '{driver: host}'),
  ),
};
const CUSTOM = {
  'network.yaml': doc('Network', 'seg', '{type: custom, interface: enp1s0, subnets: [10.1.1.0/24]}'),
  'container.yaml': doc(
    'Container',
    'app',
    '{driver: ipnet, interfaces: [{network: seg, addresses: [10.1.1.7, 10.1.1.8/32]}]}',
  ),
};

export const auto = (n: number): string =>
  doc('Container', `ct${n}`, `{netns: "@ct${n}", interfaces: [{name: eth0, network: lan}]}`);
export const AUTO = { ...BRIDGED, 'auto.yaml': auto(205) };

export const CASES: readonly GoldenCase[] = [
  { name: 'create-routed', manifests: ROUTED },
  { name: 'create-bridge', manifests: BRIDGED },
  { name: 'create-ipv6', manifests: IPV6 },
  { name: 'noop', base: MIXED, manifests: MIXED },
  { name: 'update-mtu', base: MIXED, manifests: { ...MIXED, 'networks.yaml': join(LAN(', mtu: 1400'), DMZ) } },
  {
    name: 'update-mac',
    base: BRIDGED,
    manifests: {
      ...BRIDGED,
      'containers.yaml': BRIDGED['containers.yaml'].replace('02:00:0a:28:00:0b', '02:00:0a:28:00:0c'),
    },
  },
  {
    name: 'update-address-add',
    base: ROUTED,
    manifests: {
      ...ROUTED,
      'containers.yaml': join(routed(101, '[192.168.200.101, 192.168.200.111]'), routed(102), routed(103)),
    },
  },
  {
    name: 'update-address-remove',
    base: {
      ...ROUTED,
      'containers.yaml': join(routed(101, '[192.168.200.101, 192.168.200.111]'), routed(102), routed(103)),
    },
    manifests: ROUTED,
  },
  {
    name: 'update-gateway',
    base: BRIDGED,
    manifests: { ...BRIDGED, 'networks.yaml': join(LAN().replace('gateway: 10.30.0.1', 'gateway: 10.30.0.254'), DMZ) },
  },
  {
    name: 'update-bridge-membership',
    base: BRIDGED,
    manifests: {
      ...BRIDGED,
      'containers.yaml': BRIDGED['containers.yaml'].replace(
        '{name: eth0, network: lan, addresses: [10.30.0.12/24]}',
        '{name: eth0, network: dmz, addresses: [10.40.0.12/24]}',
      ),
    },
  },
  {
    name: 'drift-port-detached',
    base: BRIDGED,
    drift: ['ip -n @host link set ve-ct202-eth0 nomaster', 'ip -n @host link set enp1s0 nomaster'],
    manifests: BRIDGED,
  },
  {
    name: 'drift-link-down',
    base: MIXED,
    drift: ['ip -n @host link set ve-ct101-venet0 down', 'ip -n @ct202 link set eth0 down'],
    manifests: MIXED,
  },
  { name: 'drift-link-deleted', base: ROUTED, drift: ['ip -n @host link del ve-ct102-venet0'], manifests: ROUTED },
  {
    name: 'drift-proxy-and-route-deleted',
    base: ROUTED,
    drift: ['ip -n @host neigh del proxy 192.168.200.103 dev enp0s5', 'ip -n @host route del 192.168.200.101/32'],
    manifests: ROUTED,
  },
  {
    name: 'drift-address-and-mtu',
    base: MIXED,
    drift: [
      'ip -n @ct101 addr del 192.168.200.101/32 dev venet0',
      'ip -n @ct201 link set eth1 mtu 1400 address 02:00:00:00:00:99',
      'ip -n @host addr add 10.30.0.99/24 dev br-lan',
    ],
    manifests: { ...MIXED, 'networks.yaml': join(LAN(), DMZ.replace('uplink: enp1s0', 'uplink: enp1s0, mtu: 1500')) },
  },
  {
    name: 'drift-sysctl',
    base: ROUTED,
    drift: ['ip netns exec @host sh -c "echo 0 > /proc/sys/net/ipv4/ip_forward"'],
    manifests: ROUTED,
  },
  { name: 'prune-container', base: MIXED, manifests: { ...MIXED, 'routed.yaml': join(routed(101), routed(103)) } },
  {
    name: 'prune-network',
    base: MIXED,
    manifests: {
      ...ROUTED,
      'networks.yaml': DMZ,
      'bridged.yaml': bridged(201, '{name: eth1, network: dmz, mac: "02:00:0a:28:00:0b", addresses: [10.40.0.11/24]}'),
    },
  },
  { name: 'destroy-all', base: MIXED, manifests: { 'host.yaml': doc('Host', 'default', '{}') } },
  {
    name: 'replace-moved-netns',
    base: ROUTED,
    manifests: {
      ...ROUTED,
      'containers.yaml': join(routed(101).replace('"@ct101"', '"@ct101b"'), routed(102), routed(103)),
    },
  },
  {
    name: 'conflict-foreign-objects',
    drift: [
      'ip -n @host link add ve-ct101-venet0 type bridge',
      'ip -n @host route add 192.168.200.102/32 dev enp0s5',
      'ip -n @host neigh add proxy 192.168.200.103 dev enp0s5',
      'ip netns add @ct102',
    ],
    manifests: ROUTED,
  },
  {
    name: 'adopt-foreign-objects',
    adopt: true,
    drift: [
      'ip -n @host link add ve-ct101-venet0 type bridge',
      'ip -n @host neigh add proxy 192.168.200.103 dev enp0s5',
      'ip netns add @ct102',
    ],
    manifests: ROUTED,
  },
  {
    name: 'conflict-sysctl',
    base: ROUTED,
    manifests: { ...ROUTED, 'host.yaml': doc('Host', 'default', '{sysctls: {net.ipv4.ip_forward: "0"}}') },
  },
  {
    name: 'drift-peer-renamed',
    base: ROUTED,
    drift: [
      'ip -n @ct102 link set venet0 down',
      'ip -n @ct102 link set venet0 name venet9',
      'ip -n @ct102 link set venet9 up',
    ],
    manifests: ROUTED,
  },
  { name: 'drift-netns-deleted', base: ROUTED, drift: ['ip netns del @ct102'], manifests: ROUTED },
  { name: 'drift-link-down-ipv6', base: IPV6, drift: ['ip -n @host link set ve-ct101-venet0 down'], manifests: IPV6 },
  {
    name: 'drift-foreign-port',
    base: BRIDGED,
    drift: [
      'ip -n @host link add vm-test0 type veth peer name vm-test1',
      'ip -n @host link set vm-test0 master br-lan up',
    ],
    manifests: BRIDGED,
  },
  {
    name: 'drift-route-replaced',
    base: BRIDGED,
    drift: ['ip -n @ct202 route replace default via 10.30.0.99 dev eth0'],
    manifests: BRIDGED,
  },
  { name: 'destroy-ipv6', base: IPV6, manifests: { 'host.yaml': doc('Host', 'default', '{}') } },
  { name: 'lost-state-noop', base: MIXED, lostState: true, manifests: MIXED },
  {
    name: 'lost-state-prune',
    base: MIXED,
    lostState: true,
    manifests: { ...MIXED, 'routed.yaml': join(routed(101), routed(103)) },
  },
  { name: 'create-passthrough', manifests: PASS },
  { name: 'ipam-allocate', manifests: AUTO },
  { name: 'ipam-new-sorts-first', base: AUTO, manifests: { ...AUTO, 'first.yaml': auto(200) } },
  { name: 'destroy-passthrough', base: PASS, manifests: { 'host.yaml': doc('Host', 'default', '{}') } },
  { name: 'vm-bridge', manifests: VM_BRIDGE },
  { name: 'vm-routed', manifests: VM_ROUTED },
  {
    name: 'vm-drift-tap',
    base: VM_BOTH,
    drift: ['ip -n @host link set vnic1 nomaster down', 'ip -n @host link del tap-vm1-2'],
    manifests: VM_BOTH,
  },
  // `nft -a` shows handles: the last counted drop of the forward chain is deleted by hand
  {
    name: 'nft-drift-rule-deleted',
    base: ROUTED,
    drift: [
      `T=$(ip netns exec @host nft list tables | grep -o 'ctnet_[0-9a-f]*'); H=$(ip netns exec @host nft -a list chain inet $T forward | awk '/^\\t+counter .* drop # handle/ {h=$NF} END {print h}'); ip netns exec @host nft delete rule inet $T forward handle $H`,
    ],
    manifests: ROUTED,
  },
  // a base keeps the state file: a fresh one would look into every namespace of the machine
  { name: 'kleene-loopback-ipnet', base: { 'networks.yaml': LAN() }, manifests: LOOPBACK },
  // applied, then one address of the container is dropped: only that one goes, enp1s0 stays as it is
  {
    name: 'kleene-custom-ipnet',
    base: CUSTOM,
    drift: ['ip -n @host addr add 10.1.1.1/24 dev enp1s0'],
    manifests: { ...CUSTOM, 'container.yaml': CUSTOM['container.yaml'].replace(', 10.1.1.8/32', '') },
  },
  {
    name: 'host-sysctls',
    base: ROUTED,
    manifests: {
      ...ROUTED,
      'host.yaml': doc('Host', 'default', '{sysctls: {net.ipv4.conf.all.arp_ignore: "1", net.ipv4.ip_forward: "1"}}'),
    },
  },
  { name: 'fleet-vxlan-create', node: 'h1', manifests: FLEET(3) },
  { name: 'fleet-node-removed', node: 'h1', base: FLEET(3), manifests: FLEET(2) },
  {
    name: 'fleet-drift-fdb',
    node: 'h1',
    base: FLEET(3),
    drift: ['bridge -n @host fdb del 00:00:00:00:00:00 dev vx-overlay dst 192.168.200.3 self'],
    manifests: FLEET(3),
  },
  { name: 'nat-bridge', manifests: NAT_BRIDGE },
  { name: 'nat-disabled', base: MIXED_NAT, manifests: MIXED },
];
