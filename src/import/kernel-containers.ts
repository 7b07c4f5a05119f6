import type { Family } from '../model/ip.js';
import { nsObjectsIn, type ObservedState } from '../model/kernel.js';
import { hostVethName } from '../model/names.js';
import { manifestName, uniqueName, type FieldNote, type ImportDoc } from './doc.js';
import type { BridgeNet } from './kernel-bridges.js';
import { routesOf, type Iface } from './kernel-routes.js';
import { addressesOn, ctnetOwner, DEFAULT_MTU, type VethPair } from './kernel-view.js';

/** What each veth to the host joins: a bridge network (by the host end's bridge) or the routed one. */
export interface Joins {
  readonly bridges: ReadonlyMap<string, BridgeNet>;
  /** The routed network's name and each routed pair's host addresses, keyed by host end. */
  readonly routed?: { readonly name: string; readonly addresses: ReadonlyMap<string, readonly string[]> };
}

/** One interface from a veth pair, or undefined (and a warning) when it joins nothing ctnet models. */
function ifaceOf(o: ObservedState, p: VethPair, joins: Joins, warn: (m: string) => void): Iface | undefined {
  // name, network, mac, mtu, addresses: the order of the manifests' own examples
  const common = (network: string) => ({
    name: p.end.name,
    network,
    mac: p.end.mac,
    ...(p.end.mtu !== DEFAULT_MTU ? { mtu: p.end.mtu } : {}),
  });
  const master = p.host.master;
  const br = master ? joins.bridges.get(master) : undefined;
  if (br) {
    const addresses = addressesOn(o, p.ns, p.end.name).map((a) => a.cidr);
    const gateways = new Map([...br.gateways].filter(([f]) => addresses.some((a) => a.includes(':') === (f === 6))));
    return { ...common(br.doc.name), addresses, gateways };
  }
  const routed = joins.routed?.addresses.get(p.host.name);
  if (routed && joins.routed) {
    const families = new Set<Family>(routed.map((a) => (a.includes(':') ? 6 : 4)));
    const gateways = new Map([...families].map((f) => [f, f === 4 ? '169.254.0.1' : 'fe80::1'] as const));
    return { ...common(joins.routed.name), addresses: routed, gateways };
  }
  const why = master
    ? `is a port of ${master}, which is not described`
    : 'is on no bridge and routes none of its addresses';
  warn(`namespace ${p.ns}: ${p.end.name} not described: its host end ${p.host.name} ${why}`);
  return undefined;
}

/** A hand-made host end goes: ctnet names host ends itself, and a veth's peer cannot be re-attached. */
function renames(name: string, ifaces: readonly Iface[], pairs: readonly VethPair[]): string[] {
  return ifaces.flatMap((i) => {
    const host = pairs.find((p) => p.end.name === i.name)!.host.name;
    const ours = hostVethName(name, i.name);
    return host === ours
      ? []
      : [`${i.name}: its host end ${host} is replaced by ${ours} on apply (the pair is made again).`];
  });
}

/**
 * A namespace as a container: its veths to the host on the networks of their host ends, with
 * their MACs and addresses, and its routes. Under a manifest name made from the namespace's,
 * which `spec.netns` keeps as it is.
 */
function containerDoc(
  o: ObservedState,
  ns: string,
  pairs: readonly VethPair[],
  joins: Joins,
  taken: Set<string>,
  warn: (m: string) => void,
): ImportDoc {
  const name = uniqueName(manifestName(ns) ?? 'ns', taken);
  const mine = pairs.filter((p) => p.ns === ns);
  const ifaces = mine.flatMap((p) => ifaceOf(o, p, joins, warn) ?? []);
  for (const l of nsObjectsIn(o, ns)?.links ?? [])
    if (l.name !== 'lo' && !mine.some((p) => p.end.name === l.name))
      warn(`namespace ${ns}: ${l.name} (${l.kind}) not described: only veths to the host are`);
  const { routes, notes: routeNotes } = routesOf(nsObjectsIn(o, ns)?.routes ?? [], ifaces, ns, warn);
  const notes: FieldNote[] = routeNotes.length ? [{ path: ['interfaces'], lines: routeNotes }] : [];
  const spec = {
    netns: ns,
    ...(ifaces.length ? { interfaces: ifaces.map(({ gateways: _g, ...i }) => i) } : {}),
    ...(routes.length ? { routes } : {}),
  };
  const comment = [`Namespace ${ns}.`, ...renames(name, ifaces, mine)];
  return { kind: 'Container', name, spec, comment, notes };
}

/** Every namespace described as a container; ctnet's own (marked on their lo) are left to their manifests. */
export function containerDocs(
  o: ObservedState,
  names: readonly string[],
  pairs: readonly VethPair[],
  joins: Joins,
  taken: Set<string>,
  warn: (m: string) => void,
): ImportDoc[] {
  return names.flatMap((ns) => {
    const owner = ctnetOwner(nsObjectsIn(o, ns)?.links.find((l) => l.name === 'lo'));
    if (!owner) return [containerDoc(o, ns, pairs, joins, taken, warn)];
    warn(`namespace ${ns} is ctnet's (${owner}): its manifests describe it; skipped`);
    return [];
  });
}
