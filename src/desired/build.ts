import type { ContainerManifest, ManifestSet, NetworkManifest } from '../manifest/types.js';
import type { DesiredNs, DesiredState, Owner } from '../model/desired.js';
import { NsBuilder } from './ns-builder.js';
import { hostVethName, stableMac } from './names.js';
import { attachRouted, type Attachment } from './routed.js';
import { attachBridged, buildBridge } from './bridge.js';

/** The namespace a vnet/disabled container lives in; `undefined` for host-stack drivers. */
export function containerNetns(ct: ContainerManifest): string | undefined {
  const d = ct.spec.driver ?? 'vnet';
  if (d !== 'vnet' && d !== 'disabled') return undefined;
  const ns = ct.spec.netns;
  return typeof ns === 'string' ? ns : ns === undefined ? ct.metadata.name : undefined;
}

/** Manifests → the kernel objects they ask for. Pure: the same manifests give the same state. */
export function buildDesired(set: ManifestSet): DesiredState {
  const host = new NsBuilder();
  const nets = new Map(set.networks.map((n) => [n.metadata.name, n]));
  const uses: DesiredState['uses'][number][] = [];
  for (const net of set.networks) {
    const owner = `network/${net.metadata.name}`;
    if (net.spec.type === 'bridge') buildBridge(net, host);
    if (net.spec.uplink) {
      uses.push({ dev: net.spec.uplink, role: net.spec.type === 'bridge' ? 'port' : 'uplink', owner, field: 'spec.uplink' });
    }
  }
  const namespaces: Record<string, DesiredNs & { owner: Owner }> = {};
  for (const ct of set.containers) {
    const netns = containerNetns(ct);
    if (netns === undefined) continue;
    const owner = `container/${ct.metadata.name}`;
    const ns = new NsBuilder();
    ns.link(owner, { name: 'lo', kind: 'device', up: true });
    attachInterfaces(ct, netns, nets, host, ns);
    namespaces[netns] = { ...ns.build(), owner };
  }
  for (const h of set.hosts) {
    for (const [k, v] of Object.entries(h.spec.sysctls ?? {})) host.sysctl(`host/${h.metadata.name}`, k, String(v));
  }
  const protectedInterfaces = ['lo', ...set.hosts.flatMap((h) => h.spec.protectedInterfaces ?? [])];
  return { host: host.build(), namespaces, uses, protectedInterfaces, conflicts: host.conflicts };
}

function attachInterfaces(
  ct: ContainerManifest,
  netns: string,
  nets: ReadonlyMap<string, NetworkManifest>,
  host: NsBuilder,
  ns: NsBuilder,
): void {
  const owner = `container/${ct.metadata.name}`;
  for (const [i, itf] of (ct.spec.interfaces ?? []).entries()) {
    const net = itf.network ? nets.get(itf.network) : undefined;
    if (!net) continue; // passthrough devices come with a later step; validation rejects unknown networks
    const ifname = itf.name ?? `eth${i}`;
    const a: Attachment = {
      owner,
      netns,
      ifname,
      hostName: hostVethName(ct.metadata.name, ifname),
      addresses: itf.addresses ?? [],
      mtu: itf.mtu,
      mac: net.spec.type === 'bridge' ? (itf.mac ?? stableMac(ct.metadata.name, ifname)).toLowerCase() : itf.mac?.toLowerCase(),
    };
    if (net.spec.type === 'routed') attachRouted(net, a, host, ns);
    else if (net.spec.type === 'bridge') attachBridged(net, a, host, ns);
  }
}
