import type { NsRef } from '../../model/kernel.js';
import type { LinkSettings, NewLink } from '../../model/ops.js';
import {
  IFF_UP,
  IFINFOMSG_LEN,
  IFLA_ADDRESS,
  IFLA_GROUP,
  IFLA_IFALIAS,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MASTER,
  IFLA_MTU,
  IFLA_NET_NS_FD,
  IFLA_NET_NS_PID,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELLINK,
  RTM_NEWLINK,
  VETH_INFO_PEER,
} from './constants.js';
import { nestAttr, strAttr, u32Attr, type Attr } from './encode.js';
import { macBytes } from './format.js';
import { netnsAttr, type Lookup, type Request } from './request-base.js';
import { vxlanInfoData } from './vxlan.js';

/**
 * Link requests as `ip link add/set/del` builds them (iplink.c): RTM_NEWLINK with an ifinfomsg
 * whose ifi_flags/ifi_change carry up/down, attributes in ip's order (the kernel does not care,
 * the byte-for-byte unit tests do). Devices are named by ifindex, resolved beforehand, as ip does.
 */
function ifinfomsg(index: number, up: boolean | undefined): Buffer {
  const h = Buffer.alloc(IFINFOMSG_LEN);
  h.writeInt32LE(index, 4);
  if (up !== undefined) {
    h.writeUInt32LE(up ? IFF_UP : 0, 8);
    h.writeUInt32LE(IFF_UP, 12);
  }
  return h;
}

/** mtu, address, master (0 releases), alias (sent without its NUL, as ip does), group. */
function settingAttrs(s: LinkSettings, l: Lookup): Attr[] {
  const out: Attr[] = [];
  if (s.mtu !== undefined) out.push(u32Attr(IFLA_MTU, s.mtu));
  if (s.mac !== undefined) out.push([IFLA_ADDRESS, macBytes(s.mac)]);
  if (s.master !== undefined) out.push(u32Attr(IFLA_MASTER, s.master === null ? 0 : l.index(s.master, 'master')));
  if (s.alias !== undefined) out.push(strAttr(IFLA_IFALIAS, s.alias, false));
  if (s.group !== undefined) out.push(u32Attr(IFLA_GROUP, s.group));
  return out;
}

/**
 * `ip link add name X [mtu] [address] [master] [up] type KIND`: alias and group are not part of a
 * creation (the kernel ignores an alias there; the plan sets them with a link-set). A veth's peer
 * is made directly in its namespace: VETH_INFO_PEER holds its own ifinfomsg and attributes, never
 * up (a peer created up in another namespace fails with ENOTCONN).
 */
export function linkAddRequest(link: NewLink, l: Lookup): Request {
  const attrs = settingAttrs({ mtu: link.mtu, mac: link.mac, master: link.master ?? undefined }, l);
  attrs.push(strAttr(IFLA_IFNAME, link.name));
  const info: Attr[] = [strAttr(IFLA_INFO_KIND, link.kind, false)];
  if (link.kind === 'veth' && link.peer) {
    const p = link.peer;
    const peer: Attr[] = [netnsAttr(p.ns, l, IFLA_NET_NS_FD, IFLA_NET_NS_PID)];
    if (p.mac !== undefined) peer.push([IFLA_ADDRESS, macBytes(p.mac)]);
    if (p.mtu !== undefined) peer.push(u32Attr(IFLA_MTU, p.mtu));
    peer.push(strAttr(IFLA_IFNAME, p.name));
    info.push(nestAttr(IFLA_INFO_DATA, [nestAttr(VETH_INFO_PEER, peer, Buffer.alloc(IFINFOMSG_LEN))]));
  }
  if (link.kind === 'vxlan') {
    if (!link.vxlan) throw new Error(`vxlan ${link.name}: no tunnel settings`);
    info.push(nestAttr(IFLA_INFO_DATA, vxlanInfoData(link.vxlan, l)));
  }
  attrs.push(nestAttr(IFLA_LINKINFO, info));
  return {
    type: RTM_NEWLINK,
    flags: NLM_F_CREATE | NLM_F_EXCL,
    header: ifinfomsg(0, link.up ? true : undefined),
    attrs,
  };
}

/**
 * `ip link set dev X …`: RTM_NEWLINK without NLM_F_CREATE changes an existing link, named by its
 * ifindex or, unlike ip, by its name (IFLA_IFNAME, ifindex 0: the kernel finds it, which spares a
 * lookup request). Never by name with a group: ifindex 0 with IFLA_GROUP and no such link would
 * change every link of that group.
 */
export function linkSetRequest(dev: number | string, s: LinkSettings, l: Lookup): Request {
  const attrs = settingAttrs(s, l);
  if (typeof dev === 'string') {
    if (s.group !== undefined) throw new Error(`link set ${dev}: a group change names the link by ifindex`);
    attrs.unshift(strAttr(IFLA_IFNAME, dev));
  }
  return { type: RTM_NEWLINK, flags: 0, header: ifinfomsg(typeof dev === 'string' ? 0 : dev, s.up), attrs };
}

export function linkDelRequest(index: number): Request {
  return { type: RTM_DELLINK, flags: 0, header: ifinfomsg(index, undefined), attrs: [] };
}

/** `ip link del group G`: no device, IFLA_GROUP selects every link of the group in one request. */
export function linkDelGroupRequest(group: number): Request {
  return { type: RTM_DELLINK, flags: 0, header: ifinfomsg(0, undefined), attrs: [u32Attr(IFLA_GROUP, group)] };
}

/** `ip link set dev X netns NS name Y`: the new name applies in the namespace it moves to. */
export function linkMoveRequest(index: number, to: NsRef, newName: string, l: Lookup): Request {
  return {
    type: RTM_NEWLINK,
    flags: 0,
    header: ifinfomsg(index, undefined),
    attrs: [netnsAttr(to, l, IFLA_NET_NS_FD, IFLA_NET_NS_PID), strAttr(IFLA_IFNAME, newName)],
  };
}
