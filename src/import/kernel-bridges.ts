import type { Family } from '../model/ip.js';
import type { LinkObj, ObservedState } from '../model/kernel.js';
import { manifestName, uniqueName, type ImportDoc } from './doc.js';
import { addressesOn, bare, ctnetOwner, type VethPair } from './kernel-view.js';
import { subnetsOf } from './subnets.js';

/** A host bridge described as a bridge network. */
export interface BridgeNet {
  readonly doc: ImportDoc;
  /** The gateway of each family: the bridge's first address of it. */
  readonly gateways: ReadonlyMap<Family, string>;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const peerNs = (p: LinkObj, o: ObservedState): string | undefined =>
  Object.entries(o.netnsIds ?? {}).find(([, id]) => id === p.peerNetnsId)?.[0];

/** What a port of the bridge is, besides a veth of a namespace being described. */
function portWords(p: LinkObj, o: ObservedState): string {
  if (p.kind === 'tap') return `${p.name} is a tap (a VM's NIC?): a VirtualMachine manifest names it as its tap`;
  const ns = peerNs(p, o);
  if (p.kind === 'veth')
    return `${p.name} is a veth to ${ns ? `namespace ${ns} (add --netns ${ns})` : 'no named namespace'}`;
  return `${p.name} is a second NIC: a bridge network has one uplink`;
}

/** The uplink as a comment names it. */
function portUse(p: LinkObj, o: ObservedState): string {
  const ns = p.kind === 'veth' ? peerNs(p, o) : undefined;
  return p.kind === 'veth'
    ? `${p.name} (a veth to ${ns ? `namespace ${ns}` : 'another namespace'}, not described)`
    : p.name;
}

function describe(br: LinkObj, o: ObservedState, pairs: readonly VethPair[], name: string, warn: (m: string) => void) {
  const ports = o.host.links.filter((l) => l.master === br.name);
  const mine = pairs.filter((p) => p.host.master === br.name);
  const others = ports.filter((p) => !mine.some((m) => m.host.name === p.name));
  // the uplink the bridge shares: a NIC (no veth, no tap), else a veth to a namespace not described
  // (a LAN on the other side, as the demo and the tests build one)
  const uplink = others.find((p) => p.kind !== 'veth' && p.kind !== 'tap') ?? others.find((p) => p.kind === 'veth');
  for (const p of others.filter((x) => x !== uplink)) warn(`bridge ${br.name}: port ${portWords(p, o)}: not described`);
  const own = addressesOn(o, null, br.name);
  const gateways = new Map<Family, string>();
  for (const a of own) {
    if (!gateways.has(a.family)) gateways.set(a.family, bare(a.cidr));
    else warn(`bridge ${br.name}: ${a.cidr} not described: a bridge network holds one gateway per family`);
  }
  const ported = mine.flatMap((p) => addressesOn(o, p.ns, p.end.name).map((a) => a.cidr));
  const subnets = subnetsOf([...own.map((a) => a.cidr), ...ported]);
  const gw = [...gateways.values()];
  const spec = {
    type: 'bridge',
    bridge: br.name,
    ...(subnets.length ? { subnets } : {}),
    ...(gw.length ? { gateway: gw.length === 1 ? gw[0] : gw } : {}),
    ...(uplink ? { uplink: uplink.name } : {}),
  };
  const comment = [
    `Bridge ${br.name}: ${plural(mine.length, 'port')} to the namespaces below` +
      `${uplink ? `; uplink ${portUse(uplink, o)}` : ''}.`,
    ...(subnets.length ? ["Subnets: those of its addresses and of its ports' addresses."] : []),
  ];
  return { doc: { kind: 'Network' as const, name, spec, comment }, gateways };
}

/**
 * Every host bridge as a bridge network, under its own name: its addresses become the gateways
 * (one per family), the subnets those of its and its ports' addresses, a NIC enslaved to it the
 * uplink. ctnet's own bridges are left to their manifests. Keyed by bridge name.
 */
export function bridgeNetworks(
  o: ObservedState,
  pairs: readonly VethPair[],
  taken: Set<string>,
  warn: (m: string) => void,
): Map<string, BridgeNet> {
  const out = new Map<string, BridgeNet>();
  const bridges = o.host.links.filter((l) => l.kind === 'bridge').sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const br of bridges) {
    const owner = ctnetOwner(br);
    if (owner) {
      warn(`bridge ${br.name} is ctnet's (${owner}): its manifests describe it; skipped`);
      continue;
    }
    const name = uniqueName(manifestName(br.name) ?? 'bridge', taken);
    out.set(br.name, describe(br, o, pairs, name, warn));
  }
  return out;
}
