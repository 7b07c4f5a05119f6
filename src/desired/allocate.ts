import { contains, formatAddress, hostMask, networkOf, parseCidr, type Cidr, type Family } from '../model/ip.js';
import { nsObjectsIn, type ObservedState } from '../model/kernel.js';
import type { ManifestSet, NetworkManifest } from '../manifest/types.js';
import { containerNetns } from '../manifest/container-netns.js';
import { label } from '../manifest/rules/helpers.js';
import { declaredAddresses, type Declared } from './declared.js';
import { gatewaysOf } from './bridge.js';
import { ownerOf } from './owner.js';
import { tapOf } from './vm.js';
import type { Allocation } from './allocated.js';

export interface AllocationProblem {
  readonly owner: string;
  readonly field: string;
  readonly message: string;
}

interface Wanted {
  readonly id: string;
  readonly owner: string;
  readonly index: number;
  readonly ifname: string;
  /** `Container "ct1"`: how messages name it. */
  readonly label: string;
  readonly net: NetworkManifest;
  /** A container's namespace (its link may already hold an address); none for a VM's guest. */
  readonly netns?: string;
}

const ipOf = (text: string): string => text.split('/')[0];

/**
 * IPAM, a pure function: every interface without an `addresses` field on a network with subnets gets the
 * lowest free address of each family its subnets offer. Free means: not the network address, not
 * the IPv4 broadcast, not a gateway, not declared anywhere in the manifests, not on the host or in
 * a namespace of ours or one the manifests want (`owned`), not handed out already. Recorded
 * allocations are kept first, so a new container (whatever its name) never moves an existing
 * one, and one that a manifest now gives explicitly to something else is a problem; an
 * interface without a record keeps an address its link already has, when that one is free.
 */
export function allocate(
  set: ManifestSet,
  observed: ObservedState,
  recorded: Readonly<Record<string, readonly string[]>>,
  owned?: ReadonlySet<string>,
): { allocations: Allocation[]; problems: AllocationProblem[] } {
  // on a node of a fleet, this node's block of each network is its pool (Node spec.blocks)
  const blocks = set.fleet?.node.spec.blocks ?? {};
  const nets = new Map(set.networks.map((n) => [n.metadata.name, withPool(n, blocks[n.metadata.name])]));
  const wanted: Wanted[] = [...containerWants(set, nets), ...vmWants(set, nets)];
  const declared = declaredAddresses(set);
  // what a wanted interface's own link holds is free for it; everything else in the kernel is taken
  const mine = new Set(wanted.map((w) => `${w.netns ?? ''}\u0000${w.ifname}`));
  // the namespaces that count: the host's, ours and those the manifests want (`owned` absent: every
  // one observed); another tool's namespace elsewhere on the machine shares no network with ours
  const counted = owned && new Set([...owned, ...wanted.flatMap((w) => (w.netns ? [w.netns] : []))]);
  const taken = new Set<string>([
    ...declared.map((d) => d.address),
    ...(set.fleet?.reserved ?? []),
    ...inUse(observed, mine, counted),
  ]);
  const own = (w: Wanted): string[] => (w.netns ? ownAddresses(observed, w.netns, w.ifname) : []);
  const problems: AllocationProblem[] = claimedElsewhere(wanted, recorded, declared);
  const out = new Map<string, string[]>();
  // recorded ones first, in any order: they only hold on to what they had
  for (const w of wanted) {
    const keep = (recorded[w.id] ?? []).filter((a) => fits(w.net, a) && !taken.has(ipOf(a)));
    keep.forEach((a) => taken.add(ipOf(a)));
    out.set(w.id, keep);
  }
  for (const w of [...wanted].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const have = out.get(w.id)!;
    for (const family of familiesOf(w.net)) {
      if (have.some((a) => parseCidr(a)?.family === family)) continue;
      const mine = own(w).find((a) => parseCidr(a)?.family === family && fits(w.net, a) && !taken.has(a));
      const addr = mine ?? lowestFree(w.net, family, taken);
      if (!addr) {
        problems.push({
          owner: w.owner,
          field: `spec.interfaces[${w.index}]`,
          message: `network "${w.net.metadata.name}" has no free IPv${family} address left for interface ${w.ifname}`,
        });
        continue;
      }
      taken.add(addr);
      have.push(withPrefix(w.net, addr));
    }
  }
  const allocations = wanted.map((w) => ({
    id: w.id,
    owner: w.owner,
    network: w.net.metadata.name,
    addresses: out.get(w.id)!,
  }));
  return { allocations: allocations.filter((a) => a.addresses.length), problems };
}

/** A network as IPAM reads it: `pool` is where its automatic addresses come from (a node's block). */
type Pooled = NetworkManifest & { readonly pool?: Cidr };
const withPool = (net: NetworkManifest, block: string | undefined): Pooled =>
  block === undefined ? net : { ...net, pool: parseCidr(block) };

const subnets = (net: NetworkManifest): Cidr[] => (net.spec.subnets ?? []).map((s) => parseCidr(s)!);
const poolOf = (net: Pooled): Cidr[] => (net.pool ? [net.pool] : subnets(net));
const familiesOf = (net: Pooled): Family[] => [...new Set(poolOf(net).map((s) => s.family))].sort();
const fits = (net: Pooled, a: string): boolean =>
  poolOf(net).some((s) => {
    const c = parseCidr(ipOf(a));
    return !!c && contains(s, c);
  });

function withPrefix(net: NetworkManifest, addr: string): string {
  const c = parseCidr(addr)!;
  if (net.spec.type !== 'bridge') return `${c.address}/${c.family === 4 ? 32 : 128}`;
  return `${c.address}/${subnets(net).find((s) => contains(s, c))!.prefix}`;
}

/** The lowest address of the network's subnets of `family` that is neither reserved nor taken. */
function lowestFree(net: Pooled, family: Family, taken: ReadonlySet<string>): string | undefined {
  const gateways = new Set(gatewaysOf(net).map((g) => g.address));
  for (const s of poolOf(net).filter((x) => x.family === family)) {
    const first = networkOf(s);
    const last = first | hostMask(family, s.prefix);
    const small = family === 4 && s.prefix >= 31;
    for (let v = small ? first : first + 1n; v <= (small || family === 6 ? last : last - 1n); v++) {
      const a = formatAddress(family, v);
      if (!taken.has(a) && !gateways.has(a)) return a;
    }
  }
  return undefined;
}

/** Addresses the host and every namespace hold, except on the links in `skip` (`netns\0dev`). */
function inUse(o: ObservedState, skip: ReadonlySet<string>, counted?: ReadonlySet<string>): string[] {
  const ns = Object.entries(o.namespaces)
    .filter(([name]) => !counted || counted.has(name))
    .flatMap(([name, objs]) => objs.addresses.filter((a) => !skip.has(`${name}\u0000${a.dev}`)));
  return [...o.host.addresses, ...ns].map((a) => ipOf(a.cidr));
}

/**
 * Recorded allocations that a manifest now gives explicitly to something else: refused at that
 * explicit address, never moved behind the holder's back (its address is in use, maybe published).
 */
function claimedElsewhere(
  wanted: readonly Wanted[],
  recorded: Readonly<Record<string, readonly string[]>>,
  declared: readonly Declared[],
): AllocationProblem[] {
  const by = new Map<string, Declared>();
  for (const d of declared) if (!by.has(d.address)) by.set(d.address, d);
  const out: AllocationProblem[] = [];
  for (const w of wanted) {
    for (const a of recorded[w.id] ?? []) {
      const d = fits(w.net, a) ? by.get(parseCidr(a)?.address ?? ipOf(a)) : undefined;
      if (!d) continue;
      const holder = `${w.label} (interface ${w.ifname})`;
      const fix = `give ${w.label} an explicit address, or choose another one here`;
      const message = `${d.address} is allocated automatically to ${holder}; ${fix}`;
      out.push({ owner: d.owner, field: d.field, message });
    }
  }
  return out;
}

function ownAddresses(o: ObservedState, netns: string, ifname: string): string[] {
  return (nsObjectsIn(o, netns)?.addresses ?? [])
    .filter((a) => a.dev === ifname && !a.dynamic)
    .map((a) => ipOf(a.cidr));
}

/** Container interfaces on a network with subnets and no `addresses` (`[]` says "none", as vzctl's --ipdel all). */
function containerWants(set: ManifestSet, nets: ReadonlyMap<string, NetworkManifest>): Wanted[] {
  return set.containers.flatMap((ct) =>
    (ct.spec.interfaces ?? []).flatMap((itf, index): Wanted[] => {
      const net = itf.network ? nets.get(itf.network) : undefined;
      const netns = containerNetns(ct);
      if (
        !net?.spec.subnets?.length ||
        itf.addresses !== undefined ||
        itf.device !== undefined ||
        !netns ||
        ct.spec.driver === 'ipnet'
      )
        return [];
      const ifname = itf.name ?? `eth${index}`;
      return [{ id: `${ownerOf(ct)}/${ifname}`, owner: ownerOf(ct), label: label(ct), index, ifname, net, netns }];
    }),
  );
}

/** A VM's NICs on routed networks: the host must know the guest's addresses to route them. */
function vmWants(set: ManifestSet, nets: ReadonlyMap<string, NetworkManifest>): Wanted[] {
  return set.vms.flatMap((vm) =>
    (vm.spec.interfaces ?? []).flatMap((itf, index): Wanted[] => {
      const net = nets.get(itf.network);
      if (net?.spec.type !== 'routed' || !net.spec.subnets?.length || itf.addresses !== undefined) return [];
      const tap = tapOf(vm, index);
      return [{ id: `${ownerOf(vm)}/${tap}`, owner: ownerOf(vm), label: label(vm), index, ifname: tap, net }];
    }),
  );
}
