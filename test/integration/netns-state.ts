import { detecting, readStateAsync, stateOf, type IpLink, type RawState } from './host-state.js';
import { ipj } from './sandbox.js';

/** Drops the kernel's clocks: a bridge's and its ports' running timers (`gc_timer`, `hold_timer`, ...). */
function withoutTimers(data: IpLink | undefined): IpLink | undefined {
  return data && Object.fromEntries(Object.entries(data).filter(([k]) => !k.endsWith('_timer')));
}

/** A link-local the kernel made from a MAC (EUI-64: `ff:fe` in the middle of the interface id). */
const EUI64_LINK_LOCAL = /fe80::(?:[0-9a-f]{1,4}:)?[0-9a-f]{0,2}ff:fe[0-9a-f]{0,2}:[0-9a-f]{1,4}/;
const BRIDGE_LINK_LOCAL = "fe80::(from the bridge's first MAC)";

/**
 * Namespaces read whole (host-state.ts) once duplicate address detection is over in all of them
 * (a link made again gets its link-local on the kernel's clock), with only the identities the
 * kernel hands out renumbered into what they name. A link a rollback made again (a deleted
 * container's namespace and veths, a bridge) is the same object with new numbers:
 * - `ifindex`: the kernel gives each new link the next free index; dropped (links are keyed by
 *   name, and every reference to another link is by name or resolved below);
 * - `link_index` + `link_netnsid` (a veth's peer in another namespace): the peer's ifindex there,
 *   and the id this namespace gives that namespace, both assigned by the kernel; replaced by
 *   `peer: "<namespace>/<name>"`, so the pairing itself is still compared exactly;
 * - `*_timer` in a bridge's and its ports' details: running clocks (FDB garbage collection, hold
 *   timers), different at every read;
 * - a bridge's EUI-64 IPv6 link-local (and its `local` route): the kernel derives it from the MAC
 *   the bridge had when it first came up, its own random one, before it took its first port's
 *   MAC; a bridge made again with the MAC it ended up with gets another. ctnet sets neither.
 * Everything ctnet sets (names, kinds, MACs, MTUs, aliases, masters, flags, addresses, routes,
 * proxy entries, sysctls, nftables) is compared exactly as the kernel shows it.
 */
export async function netnsStates(names: readonly string[]): Promise<Record<string, ReturnType<typeof stateOf>>> {
  const deadline = Date.now() + 10_000;
  let raws = await Promise.all(names.map(readStateAsync));
  while (raws.some(detecting)) {
    if (Date.now() > deadline) throw new Error('duplicate address detection did not end in 10 s');
    await new Promise((r) => setTimeout(r, 50));
    raws = await Promise.all(names.map(readStateAsync));
  }
  const links = new Map(names.map((n, i) => [n, raws[i].links]));
  const nameAt = (ns: string, ifindex: number): string => {
    if (!links.has(ns)) links.set(ns, ipj(ns, 'link', 'show')); // a LAN: read once, only for names
    return links.get(ns)!.find((l) => l.ifindex === ifindex)?.ifname ?? `#${ifindex}?`;
  };
  return Object.fromEntries(names.map((n, i) => [n, normalised(raws[i], nameAt)]));
}

function normalised(raw: RawState, nameAt: (ns: string, ifindex: number) => string) {
  const ids = new Map(raw.nsids.map((e) => [e.nsid as number, e.name as string | undefined]));
  const bridges = new Set(raw.links.filter((l) => l.linkinfo?.info_kind === 'bridge').map((l) => l.ifname as string));
  const renumbered = (l: IpLink): IpLink => {
    const { ifindex: _i, link_index: index, link_netnsid: nsid, linkinfo: info, ...rest } = l;
    const peerNs = nsid === undefined ? undefined : ids.get(nsid);
    const peer = index === undefined ? {} : { peer: peerNs ? `${peerNs}/${nameAt(peerNs, index)}` : `nsid ${nsid}?` };
    const timeless = info && {
      ...info,
      ...(info.info_data ? { info_data: withoutTimers(info.info_data) } : {}),
      ...(info.info_slave_data ? { info_slave_data: withoutTimers(info.info_slave_data) } : {}),
    };
    return { ...rest, ...peer, ...(timeless ? { linkinfo: timeless } : {}) };
  };
  const s = stateOf(raw, renumbered);
  const onBridge = (line: string): boolean =>
    [...bridges].some((b) => line.startsWith(`${b} `) || line.includes(`"dev":"${b}"`));
  const eui64 = (line: string): string => (onBridge(line) ? line.replace(EUI64_LINK_LOCAL, BRIDGE_LINK_LOCAL) : line);
  return { ...s, addrs: s.addrs.map(eui64).sort(), routes: s.routes.map(eui64).sort() };
}
