import type { LinkKind, LinkObj } from '../../model/kernel.js';
import { parseAttrs, s32, str, u32, u8, type Attrs } from './attrs.js';
import {
  IFF_TAP,
  IFF_UP,
  IFINFOMSG_LEN,
  IFLA_ADDRESS,
  IFLA_GROUP,
  IFLA_IFALIAS,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINK,
  IFLA_LINKINFO,
  IFLA_LINK_NETNSID,
  IFLA_MASTER,
  IFLA_MTU,
  IFLA_TUN_TYPE,
  RTM_NEWLINK,
} from './constants.js';
import type { NlMsg } from './dump-reader.js';
import { llAddrText } from './format.js';
import { decodeVxlan } from './vxlan.js';

/** One RTM_NEWLINK of a dump, decoded only as far as the planner reads. */
interface RawLink {
  readonly index: number;
  readonly type: number;
  readonly flags: number;
  readonly attrs: Attrs;
}

/** The kinds both drivers name alike (parse-ip.ts reads `ip`'s words for the same). */
export function kindOf(a: Attrs): LinkKind {
  const info = a.get(IFLA_LINKINFO);
  const nested = info ? parseAttrs(info) : undefined;
  const k = str(nested?.get(IFLA_INFO_KIND));
  if (k === 'veth' || k === 'bridge' || k === 'dummy' || k === 'vxlan') return k;
  // tuntap devices are all kind "tun"; only those in tap mode are taps
  if (k === 'tun') {
    const data = nested?.get(IFLA_INFO_DATA);
    return data && u8(parseAttrs(data).get(IFLA_TUN_TYPE)) === IFF_TAP ? 'tap' : 'other';
  }
  return k === undefined ? 'device' : 'other';
}

/** The attributes of a link that are decoded (`decodeLinks`, `kindOf`, `linkIndexes`). */
const READ = new Set([
  IFLA_IFNAME,
  IFLA_LINK,
  IFLA_LINK_NETNSID,
  IFLA_MASTER,
  IFLA_ADDRESS,
  IFLA_IFALIAS,
  IFLA_MTU,
  IFLA_GROUP,
  IFLA_LINKINFO,
]);

function rawLinks(msgs: readonly NlMsg[]): RawLink[] {
  return msgs
    .filter((m) => m.type === RTM_NEWLINK && m.body.length >= IFINFOMSG_LEN)
    .map((m) => ({
      index: m.body.readInt32LE(4),
      type: m.body.readUInt16LE(2),
      flags: m.body.readUInt32LE(8),
      attrs: parseAttrs(m.body, IFINFOMSG_LEN, undefined, READ),
    }));
}

/** Name → ifindex of every link in a link dump: all that resolving names needs. */
export function linkIndexes(msgs: readonly NlMsg[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of rawLinks(msgs)) {
    const name = str(l.attrs.get(IFLA_IFNAME));
    if (name) out.set(name, l.index);
  }
  return out;
}

/**
 * RTM_NEWLINK messages → links, in dump order, with exactly the fields (and the field order) the
 * iproute2 parser gives for `ip -N -d -json link show`, so both drivers return equal objects.
 */
export function decodeLinks(msgs: readonly NlMsg[]): LinkObj[] {
  const raw = rawLinks(msgs);
  const nameOf = new Map(raw.map((l) => [l.index, str(l.attrs.get(IFLA_IFNAME))]));
  return raw.map((l) => {
    const a = l.attrs;
    const kind = kindOf(a);
    const iflink = u32(a.get(IFLA_LINK)) ?? 0;
    const netnsid = s32(a.get(IFLA_LINK_NETNSID));
    // IFLA_LINK is the peer only for a veth; ip shows it by name when the peer is here (and
    // then only if it knows that name), by number with the peer's namespace id otherwise
    const peerIfindex =
      kind !== 'veth' || iflink === 0 ? undefined : netnsid !== undefined || nameOf.has(iflink) ? iflink : undefined;
    const master = u32(a.get(IFLA_MASTER));
    const mac = a.get(IFLA_ADDRESS);
    const info = kind === 'vxlan' ? a.get(IFLA_LINKINFO) : undefined;
    const data = info && parseAttrs(info).get(IFLA_INFO_DATA);
    return {
      name: str(a.get(IFLA_IFNAME))!,
      kind,
      alias: str(a.get(IFLA_IFALIAS)),
      mtu: u32(a.get(IFLA_MTU)),
      mac: mac ? llAddrText(l.type, mac) : undefined,
      up: (l.flags & IFF_UP) !== 0,
      master: master ? (nameOf.get(master) ?? `if${master}`) : undefined,
      ifindex: l.index,
      peerIfindex,
      peerNetnsId: kind === 'veth' && netnsid !== undefined && netnsid >= 0 ? netnsid : undefined,
      group: u32(a.get(IFLA_GROUP)) ?? 0,
      ...(data ? { vxlan: decodeVxlan(data, (i) => nameOf.get(i) ?? `if${i}`) } : {}),
    };
  });
}

/** ifindex → name, as `ip` resolves devices (an index it does not know prints as `if<N>`). */
export function devNames(links: readonly LinkObj[]): (index: number) => string {
  const m = new Map(links.map((l) => [l.ifindex, l.name]));
  return (index) => m.get(index) ?? `if${index}`;
}
