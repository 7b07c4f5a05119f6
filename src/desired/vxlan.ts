import type { FleetView, NetworkManifest } from '../manifest/types.js';
import { parseCidr } from '../model/ip.js';
import { vxlanName } from '../model/names.js';
import type { DesiredBuilder } from './builder.js';

export const VXLAN_PORT = 4789;
/** Outer Ethernet-less IP, UDP and VXLAN headers plus the inner Ethernet header. */
const OVERHEAD = { 4: 50, 6: 70 } as const;
const FLOOD_MAC = '00:00:00:00:00:00';

const familyOf = (address: string): 4 | 6 => parseCidr(address)?.family ?? 4;

/**
 * A spanning network as this node builds it: the default MTU of its links lowered by the
 * encapsulation, so a full-size inner frame still fits the underlay's 1500.
 */
export function spanningNetwork(net: NetworkManifest, fleet: FleetView | undefined): NetworkManifest {
  if (!net.spec.vxlan || !fleet || net.spec.mtu !== undefined) return net;
  return { ...net, spec: { ...net.spec, mtu: 1500 - OVERHEAD[familyOf(fleet.node.spec.address)] } };
}

/** Whether this node holds the network's gateway addresses: a spanning network's one gateway node. */
export const holdsGateway = (net: NetworkManifest, fleet: FleetView | undefined): boolean =>
  !net.spec.vxlan || !fleet || net.spec.vxlan.gatewayNode === fleet.node.metadata.name;

/**
 * The VXLAN port of a spanning network's bridge, with one flood entry per other node of the
 * network (head-end replication: flannel's model, without multicast). Learning is off: the
 * bridge above learns the containers' MACs, the tunnel only needs to know where the nodes are.
 */
export function buildTunnel(net: NetworkManifest, bridge: string, fleet: FleetView, b: DesiredBuilder): void {
  const x = net.spec.vxlan;
  if (!x) return;
  const owner = `network/${net.metadata.name}`;
  const node = fleet.node;
  const local = parseCidr(node.spec.address)!.address;
  const name = vxlanName(net.metadata.name);
  const vxlan = {
    vni: x.vni,
    local,
    port: x.port ?? VXLAN_PORT,
    ...(node.spec.interface ? { dev: node.spec.interface } : {}),
  };
  b.add('link', null, owner, { name, kind: 'vxlan', up: true, mtu: net.spec.mtu, master: bridge, vxlan }, 'spec.vxlan');
  const peers = fleet.networkNodes.get(net.metadata.name) ?? [];
  for (const other of fleet.nodes) {
    if (other === node || !peers.includes(other.metadata.name)) continue;
    b.add('fdb', null, owner, { dev: name, dst: parseCidr(other.spec.address)!.address, mac: FLOOD_MAC });
  }
}
