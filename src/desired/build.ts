import type { ContainerManifest, ManifestSet, NetworkManifest } from '../manifest/types.js';
import { containerNetns, containerNetnsPath } from '../manifest/container-netns.js';
import type { DesiredState } from '../model/desired.js';
import { DesiredBuilder } from './builder.js';
import { ownerOf } from './owner.js';
import { buildSettings } from './settings.js';
import { hostVethName, stableMac } from '../model/names.js';
import { attachRouted, type Attachment } from './routed.js';
import { attachBridged, buildBridge } from './bridge.js';
import { passThrough } from './device.js';
import { parseCidr } from '../model/ip.js';
import type { Allocation } from './allocated.js';
import { allocatedFor } from './allocated.js';
import { attachVm } from './vm.js';
import type { RoutedPort } from '../model/anti-spoofing.js';
import { ctnetTable } from '../model/ctnet-table.js';
import type { NatNetwork } from '../model/nat.js';
import { NFT_OWNER } from '../model/nft.js';
import { natOf } from './nat.js';
import type { KernelCapabilities } from '../model/kernel.js';
import { attachIpnet, buildLoopback } from './ipnet.js';
import { holdsGateway, spanningNetwork } from './vxlan.js';

/**
 * Manifests → the kernel objects they ask for. Pure: the same manifests give the same state.
 * `allocations`: addresses IPAM handed to interfaces that have none in their manifest;
 * `caps`: what the observed kernel can make (unknown before observing).
 */
export function buildDesired(
  set: ManifestSet,
  allocations: readonly Allocation[] = [],
  caps?: KernelCapabilities,
): DesiredState {
  const b = new DesiredBuilder();
  const networks = set.networks.map((n) => spanningNetwork(n, set.fleet));
  const nets = new Map(networks.map((n) => [n.metadata.name, n]));
  const uses: DesiredState['uses'][number][] = [];
  const routed: RoutedPort[] = [];
  const nat: NatNetwork[] = [];
  for (const net of networks) {
    if (net.spec.type === 'bridge') buildBridge(net, b, set.fleet);
    // NAT is the gateway's: the node that holds it
    const masq = holdsGateway(net, set.fleet) ? natOf(net, b) : undefined;
    if (masq) nat.push(masq);
    if (net.spec.type === 'loopback') buildLoopback(net, caps, b);
    // a custom network's interface is someone else's: it must exist, ctnet never makes it
    if (net.spec.type === 'custom' && net.spec.interface) {
      uses.push({ dev: net.spec.interface, role: 'custom', owner: ownerOf(net), field: 'spec.interface' });
    }
    if (net.spec.uplink) {
      uses.push({
        dev: net.spec.uplink,
        role: net.spec.type === 'bridge' ? 'port' : 'uplink',
        owner: ownerOf(net),
        field: 'spec.uplink',
      });
    }
  }
  for (const ct of set.containers) {
    if (ct.spec.driver === 'ipnet') attachIpnet(ct, nets, b);
    const netns = containerNetns(ct);
    if (netns === undefined) continue;
    const owner = ownerOf(ct);
    const path = containerNetnsPath(ct);
    b.add('netns', null, owner, { name: netns, ...(path ? { path } : {}) });
    // lo carries the namespace's marker: a lost state file still finds namespaces without
    // interfaces; a runtime's namespace is the runtime's, lo included
    if (!path) b.add('link', netns, owner, { name: 'lo', kind: 'device', up: true });
    routed.push(...attachInterfaces(ct, netns, nets, b, allocations));
    buildSettings(ct, netns, nets, b);
  }
  for (const vm of set.vms) routed.push(...attachVm(vm, ownerOf(vm), nets, b, allocations));
  // one table for every routed interface and NAT network of the host: made from all at once
  const table = ctnetTable({ routed, nat });
  if (table) b.add('nftable', null, NFT_OWNER, table);
  const underlay = set.fleet?.node.spec.interface;
  if (underlay && networks.some((n) => n.spec.vxlan))
    uses.push({
      dev: underlay,
      role: 'uplink',
      owner: `node/${set.fleet.node.metadata.name}`,
      field: 'spec.interface',
    });
  for (const h of set.hosts) {
    for (const [k, v] of Object.entries(h.spec.sysctls ?? {}))
      b.add('sysctl', null, ownerOf(h), { key: k, value: String(v) });
  }
  const protectedInterfaces = ['lo', ...set.hosts.flatMap((h) => h.spec.protectedInterfaces ?? [])];
  return { objects: b.build(), uses, protectedInterfaces, conflicts: b.conflicts };
}

/** The container's interfaces; returns its routed ones, whose isolation the host's table holds. */
function attachInterfaces(
  ct: ContainerManifest,
  netns: string,
  nets: ReadonlyMap<string, NetworkManifest>,
  b: DesiredBuilder,
  allocations: readonly Allocation[],
): RoutedPort[] {
  const owner = ownerOf(ct);
  const routed: RoutedPort[] = [];
  for (const [i, itf] of (ct.spec.interfaces ?? []).entries()) {
    const ifname = itf.name ?? `eth${i}`;
    if (itf.device !== undefined) {
      passThrough(owner, netns, ifname, itf, i, b);
      continue;
    }
    const net = itf.network ? nets.get(itf.network) : undefined;
    if (!net) continue; // validation rejects unknown networks
    const a: Attachment = {
      owner,
      netns,
      ifname,
      hostName: hostVethName(ct.metadata.name, ifname),
      field: `spec.interfaces[${i}]`,
      addresses: itf.addresses?.length ? itf.addresses : allocatedFor(owner, ifname, allocations, b),
      // an explicit empty list (vzctl's --ipdel all) has no family: no default route, which the
      // kernel would drop anyway with the interface's last address
      families: familiesOf(itf.addresses ?? net.spec.subnets ?? []),
      mtu: itf.mtu,
      mac:
        net.spec.type === 'bridge'
          ? (itf.mac ?? stableMac(ct.metadata.name, ifname)).toLowerCase()
          : itf.mac?.toLowerCase(),
    };
    if (net.spec.type === 'routed') routed.push(attachRouted(net, a, b));
    else if (net.spec.type === 'bridge') attachBridged(net, a, b);
  }
  return routed;
}

const familiesOf = (cidrs: readonly string[]): ReadonlySet<4 | 6> => new Set(cidrs.map((c) => parseCidr(c)!.family));
