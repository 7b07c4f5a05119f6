import { doc, docs as join } from '../fixtures.js';
import {
  AUTO,
  BRIDGED,
  DMZ,
  IPV6,
  LAN,
  MIXED,
  NAT_BRIDGE,
  PASS,
  ROUTED,
  VM_BOTH,
  VM_BRIDGE,
  auto,
  bridged,
  routed,
} from '../golden/cases.js';

/**
 * Golden revert cases (as nmstate's gen_revert): a checkpoint, the kernel after a run that failed
 * part way, and the plan that puts the checkpoint back. generate.test.ts (GENERATE_REVERT=1) takes
 * both snapshots from a real kernel: run `setup`, apply `before`, snapshot (the checkpoint), apply
 * `manifests` (or `run`) with CTNET_FAIL_OP=`fail`, snapshot again. test/unit/golden-revert.test.ts
 * plans the revert offline, as `apply --atomic` does; test/integration/atomic-golden.test.ts runs
 * each case with `--atomic` on the real kernel.
 */
export interface RevertCase {
  readonly name: string;
  /** Commands run before `before` is applied (`@host` is the host namespace, `@` the netns prefix). */
  readonly setup?: readonly string[];
  /** Manifests applied first; none: a Host document alone (the state file then exists). */
  readonly before?: Record<string, string>;
  /** The change: the manifests of the run that fails. */
  readonly manifests: Record<string, string>;
  /** CTNET_FAIL_OP for that run: `<op>[:<n>]`, `any:N`, `step:K` (src/driver/failing.ts). */
  readonly fail: string;
  /** The failing run's arguments when it is not `apply manifests` (`%` stands for the manifest dir). */
  readonly run?: readonly string[];
  /**
   * What the rollback knowingly does not give back as it was (docs/architecture.md, Known limits):
   * address lines (`dev {json}`) and `net.*` sysctl lines (`/proc/sys/...:value`) left out of the
   * real-kernel comparison.
   */
  readonly leaves?: RegExp;
}

/** No containers, no networks: what `before` is when none is given, and a change that removes everything. */
const NONE = { 'host.yaml': doc('Host', 'default', '{}') };
const DEVICE = {
  'ct.yaml': PASS['ct.yaml'].replace('mtu: 1400', 'mtu: 1400, mac: "02:00:0a:01:01:05"'),
};
const WITH_111 = {
  ...ROUTED,
  'containers.yaml': join(routed(101, '[192.168.200.101, 192.168.200.111]'), routed(102), routed(103)),
};
const VM_GONE = { 'networks.yaml': LAN(), 'network.yaml': ROUTED['network.yaml'] };
const GATEWAY_254 = join(LAN().replace('gateway: 10.30.0.1', 'gateway: 10.30.0.254'), DMZ);

export const REVERT_CASES: readonly RevertCase[] = [
  // a failure in the middle of making things: the revert deletes what was made, and only that
  {
    name: 'create-routed-midway',
    // a per-interface value the global switch rewrites: the revert gives it back
    setup: ['ip netns exec @host sysctl -qw net.ipv4.conf.enp1s0.forwarding=1'],
    manifests: { ...IPV6, 'more.yaml': routed(103) },
    fail: 'route-add:3',
  },
  {
    name: 'create-bridged-midway',
    setup: ['ip -n @host link set enp1s0 down'],
    manifests: { ...BRIDGED, 'networks.yaml': join(LAN(', nat: true'), DMZ), 'vm.yaml': VM_BRIDGE['vm.yaml'] },
    fail: 'addr-add:3',
  },
  { name: 'create-passthrough-midway', manifests: DEVICE, fail: 'addr-add' },
  { name: 'ipam-allocate-midway', before: BRIDGED, manifests: AUTO, fail: 'addr-add' },
  // a change over an existing setup: the revert makes again what the run deleted
  {
    name: 'prune-container',
    before: MIXED,
    manifests: { ...MIXED, 'routed.yaml': join(routed(101), routed(103)) },
    fail: 'netns-del',
  },
  // a bridge network and its two containers: one namespace goes, then the bridge, the uplink released
  {
    name: 'prune-bridged-network',
    before: MIXED,
    manifests: { 'networks.yaml': LAN(), 'network.yaml': ROUTED['network.yaml'], 'routed.yaml': MIXED['routed.yaml'] },
    fail: 'netns-del:2',
    // the kernel derives a bridge's link-local from the random MAC it has before its first port
    leaves: /^br-dmz .*"fe80:/,
  },
  // an automatic address given up: made again as it was, and kept for the container
  {
    name: 'ipam-released',
    before: { ...AUTO, 'auto.yaml': join(auto(205), auto(206)) },
    manifests: BRIDGED,
    fail: 'netns-del:2',
  },
  { name: 'destroy-passthrough', before: DEVICE, manifests: NONE, fail: 'netns-del' },
  {
    name: 'routed-network-removed',
    setup: ['ip netns exec @host sysctl -qw net.ipv4.conf.enp1s0.forwarding=1'],
    before: IPV6,
    manifests: NONE,
    fail: 'netns-del:2',
  },
  { name: 'nat-network-removed', before: NAT_BRIDGE, manifests: NONE, fail: 'netns-del' },
  {
    name: 'uplink-released',
    setup: ['ip -n @host link set enp1s0 down'],
    before: BRIDGED,
    manifests: {
      'networks.yaml': join(LAN(), DMZ.replace(', uplink: enp1s0', '')),
      'containers.yaml': bridged(201, '{name: eth0, network: lan, addresses: [10.30.0.11/24]}'),
    },
    fail: 'netns-del',
  },
  {
    name: 'host-sysctl-restored',
    before: { ...ROUTED, ...hostSysctls('{net.ipv4.conf.all.arp_ignore: "1"}') },
    manifests: { ...ROUTED, 'containers.yaml': join(routed(101), routed(102)) },
    fail: 'netns-del',
  },
  { name: 'vm-removed', before: VM_BOTH, manifests: VM_GONE, fail: 'step:1' },
  // changes in place: the revert changes back what the run changed
  { name: 'address-added', before: ROUTED, manifests: WITH_111, fail: 'route-add' },
  { name: 'address-removed', before: WITH_111, manifests: ROUTED, fail: 'addr-del' },
  {
    name: 'mtu-midway',
    before: MIXED,
    manifests: { ...MIXED, 'networks.yaml': join(LAN(', mtu: 1400'), DMZ) },
    fail: 'link-set:3',
  },
  {
    name: 'mac-and-gateway',
    before: BRIDGED,
    manifests: {
      'networks.yaml': GATEWAY_254,
      'containers.yaml': BRIDGED['containers.yaml'].replace('02:00:0a:28:00:0b', '02:00:0a:28:00:0c'),
    },
    fail: 'route-replace:2',
    // deleting the old gateway, the primary of its subnet, promoted the new one
    leaves: /conf\/br-lan\/promote_secondaries:/,
  },
  // a runtime override (`ctnet set` without --save) that fails part way
  {
    name: 'override-ipadd',
    before: ROUTED,
    manifests: ROUTED,
    run: ['set', 'ct101', '%', '--ipadd', '192.168.200.111'],
    fail: 'neigh-add',
  },
];

function hostSysctls(map: string): Record<string, string> {
  return { 'host.yaml': doc('Host', 'default', `{sysctls: ${map}}`) };
}

export const EMPTY_BEFORE = NONE;
