import type {
  ContainerManifest,
  ManifestSet,
  NetworkManifest,
  FleetView,
  NodeManifest,
  VirtualMachineManifest,
} from './types.js';
import { fail, ok, type Result } from '../model/errors.js';
import { attachments, gateways } from './rules/helpers.js';
import { parseIp } from './rules/ip-text.js';

/** Every label of the selector, with the same value; `{}` selects every node. */
export const selects = (selector: Readonly<Record<string, string>>, node: NodeManifest): boolean =>
  Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v);

type Member = ContainerManifest | VirtualMachineManifest;

/** The networks a container or VM has an interface on. */
export const memberNetworks = (m: Member): string[] =>
  (m.spec.interfaces ?? []).flatMap((i) => (i.network === undefined ? [] : [i.network]));

/** The nodes each network exists on: those its selector picks, else those of its members. */
export function networkNodes(set: ManifestSet): Map<string, string[]> {
  const known = new Set(set.nodes.map((n) => n.metadata.name));
  const byMembers = new Map<string, Set<string>>();
  for (const m of [...set.containers, ...set.vms]) {
    const node = m.spec.node;
    if (node === undefined || !known.has(node)) continue;
    for (const net of memberNetworks(m)) byMembers.set(net, (byMembers.get(net) ?? new Set()).add(node));
  }
  const out = new Map<string, string[]>();
  for (const net of set.networks) {
    const sel = net.spec.nodeSelector;
    const names = sel
      ? set.nodes.filter((n) => selects(sel, n)).map((n) => n.metadata.name)
      : [...(byMembers.get(net.metadata.name) ?? [])];
    out.set(net.metadata.name, [...new Set(names)].sort());
  }
  return out;
}

/** A network on several nodes: its addresses share one address space across them. */
export const spans = (net: NetworkManifest, fleet: FleetView | undefined): boolean =>
  (fleet?.networkNodes.get(net.metadata.name)?.length ?? 0) > 1 &&
  (net.spec.type === 'routed' || net.spec.vxlan !== undefined);

const docFiles = (set: ManifestSet): string[] => [
  ...new Set([...set.networks, ...set.containers, ...set.vms, ...set.hosts, ...set.nodes].map((m) => m.source.file)),
];

/** The slice of `set` that node `name` builds (the set whole when it declares no nodes). */
export function sliceFor(set: ManifestSet, name: string, reserved: readonly string[]): ManifestSet {
  const node = set.nodes.find((n) => n.metadata.name === name);
  if (!node) return set;
  const placement = networkNodes(set);
  const here = (net: NetworkManifest): boolean => placement.get(net.metadata.name)?.includes(name) ?? false;
  return {
    ...set,
    networks: set.networks.filter(here),
    containers: set.containers.filter((c) => c.spec.node === name),
    vms: set.vms.filter((v) => v.spec.node === name),
    hosts: set.hosts.filter((h) => !h.spec.nodeSelector || selects(h.spec.nodeSelector, node)),
    fleet: { node, nodes: set.nodes, networkNodes: placement, reserved, docFiles: docFiles(set) },
  };
}

/** Every address the set declares, canonical: interfaces of containers and VMs, gateways. */
export function declaredIps(set: ManifestSet): string[] {
  const texts = [
    ...set.networks.flatMap((n) => gateways(n).map((g) => g.text)),
    ...attachments(set).flatMap((a) => a.addresses),
  ];
  return texts.flatMap((t) => {
    const c = parseIp(t);
    return c ? [c.address] : [];
  });
}

/** This host's slice, or why there is none: a node name no Node manifest declares. */
export function selectNode(set: ManifestSet, name: string | undefined): Result<ManifestSet> {
  if (name === undefined || set.nodes.length === 0) return ok(set);
  if (set.nodes.some((n) => n.metadata.name === name)) return ok(sliceFor(set, name, declaredIps(set)));
  const names = set.nodes.map((n) => n.metadata.name).join(', ');
  return fail([
    {
      code: 'invalid',
      message: `this host is node "${name}" (--node, CTNET_NODE or the hostname), which no Node manifest declares; the nodes are ${names}`,
    },
  ]);
}
