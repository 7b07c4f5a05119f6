import type { AddressObj, LinkKind, LinkObj, NeighborObj, RouteObj, VxlanObj } from '../model/kernel.js';
import { parseCidr } from '../model/ip.js';

/** `ip -N -d -json` output → typed kernel objects. Unknown fields are ignored on purpose. */
type J = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;

/** `ip -json` prints one array per command; anything else means the output was cut short. */
function list(doc: unknown, what: string): J[] {
  if (!Array.isArray(doc)) throw new Error(`ip printed no ${what} list`);
  return doc as J[];
}

function kindOf(j: J): LinkKind {
  const info = j.linkinfo as J | undefined;
  const k = str(info?.info_kind);
  if (k === 'veth' || k === 'bridge' || k === 'dummy' || k === 'vxlan') return k;
  // tuntap devices are all kind "tun"; only those in tap mode are taps
  if (k === 'tun') return str((info?.info_data as J | undefined)?.type) === 'tap' ? 'tap' : 'other';
  return k === undefined ? 'device' : 'other';
}

export function parseLinks(doc: unknown): LinkObj[] {
  const links = list(doc, 'link');
  const indexOf = new Map(links.map((j) => [str(j.ifname), num(j.ifindex)]));
  return links.map((j) => {
    const kind = kindOf(j);
    // IFLA_LINK is the peer only for a veth (a macvlan's or vlan's is its lower device); with
    // the peer in this namespace ip prints its name ("link") instead of "link_index"
    const peerIfindex =
      kind !== 'veth'
        ? undefined
        : (num(j.link_index) ?? (str(j.link) !== undefined ? indexOf.get(str(j.link)) : undefined));
    return {
      name: str(j.ifname)!,
      kind,
      alias: str(j.ifalias),
      mtu: num(j.mtu),
      mac: str(j.address),
      up: ((j.flags as string[] | undefined) ?? []).includes('UP'),
      master: str(j.master),
      ifindex: num(j.ifindex),
      peerIfindex,
      peerNetnsId: kind === 'veth' ? num(j.link_netnsid) : undefined,
      group: num(j.group) ?? 0,
      ...(kind === 'vxlan' ? { vxlan: parseVxlan((j.linkinfo as J).info_data as J | undefined) } : {}),
    };
  });
}

/** `info_data` of a vxlan link: an unset local address is not printed (''), nor an unbound underlay. */
function parseVxlan(d: J | undefined): VxlanObj {
  const dev = str(d?.link);
  return {
    vni: num(d?.id) ?? 0,
    local: str(d?.local) ?? str(d?.local6) ?? '',
    port: num(d?.port) ?? 0,
    ...(dev !== undefined ? { dev } : {}),
  };
}

export function parseAddresses(doc: unknown): AddressObj[] {
  const out: AddressObj[] = [];
  for (const link of list(doc, 'address')) {
    for (const a of (link.addr_info as J[] | undefined) ?? []) {
      const family = a.family === 'inet' ? 4 : a.family === 'inet6' ? 6 : undefined;
      const c = family && parseCidr(`${str(a.local)}/${num(a.prefixlen)}`);
      if (!family || !c) continue;
      out.push({
        dev: str(link.ifname)!,
        family,
        cidr: `${c.address}/${c.prefix}`,
        tentative: a.tentative === true || a.dadfailed === true,
        dynamic: a.dynamic === true,
      });
    }
  }
  return out;
}

/** Main-table unicast routes only; the local and broadcast tables are the kernel's business. */
export function parseRoutes(doc: unknown): RouteObj[] {
  const out: RouteObj[] = [];
  for (const r of list(doc, 'route')) {
    const table = str(r.table);
    if (
      (table !== undefined && table !== '254' && table !== 'main') ||
      (r.type !== undefined && r.type !== '1' && r.type !== 'unicast')
    )
      continue;
    const dstText = str(r.dst);
    if (dstText === undefined) continue;
    const gateway = str(r.gateway);
    // RTA_VIA: a gateway of the other family (`10.0.0.0/8 via inet6 fe80::1`), never the route's family
    const via = gateway ?? str((r.via as J | undefined)?.host);
    // the destination tells the family; `default` has none: an IPv6 route always carries pref
    const family: 4 | 6 =
      dstText !== 'default' ? (dstText.includes(':') ? 6 : 4) : gateway?.includes(':') || r.pref !== undefined ? 6 : 4;
    const dst = dstText === 'default' ? 'default' : normalizeDst(dstText, family);
    out.push({
      family,
      dst,
      dev: str(r.dev),
      via: via && parseCidr(via)?.address,
      onlink: ((r.flags as string[] | undefined) ?? []).includes('onlink'),
      protocol: num(r.protocol),
    });
  }
  return out;
}

function normalizeDst(text: string, family: 4 | 6): string {
  const c = parseCidr(text.includes('/') ? text : `${text}/${family === 4 ? 32 : 128}`);
  return c ? `${c.address}/${c.prefix}` : text;
}

export function parseProxyNeighbors(doc: unknown): NeighborObj[] {
  const out: NeighborObj[] = [];
  for (const n of list(doc, 'neighbour')) {
    const c = 'proxy' in n ? parseCidr(str(n.dst) ?? '') : undefined;
    if (!c || str(n.dev) === undefined) continue;
    out.push({ family: c.family, dst: c.address, dev: str(n.dev)!, proxy: true, protocol: num(n.protocol) });
  }
  return out;
}
