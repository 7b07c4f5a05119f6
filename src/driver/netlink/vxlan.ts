import type { VxlanObj } from '../../model/kernel.js';
import { parseAttrs, u32 } from './attrs.js';
import {
  IFLA_VXLAN_ID,
  IFLA_VXLAN_LEARNING,
  IFLA_VXLAN_LINK,
  IFLA_VXLAN_LOCAL,
  IFLA_VXLAN_LOCAL6,
  IFLA_VXLAN_PORT,
} from './constants.js';
import { u32Attr, u8Attr, type Attr } from './encode.js';
import { ipBytes, ipText } from './format.js';
import type { Lookup } from './request-base.js';

/**
 * A VXLAN device's IFLA_INFO_DATA as `ip link add … type vxlan id N local A dstport P nolearning
 * [dev D]` sends it (iplink_vxlan.c): the underlay device first, then id, local, learning off and
 * the port (big-endian, the only attribute in network order).
 */
export function vxlanInfoData(v: VxlanObj, l: Lookup): Attr[] {
  const out: Attr[] = [];
  if (v.dev !== undefined) out.push(u32Attr(IFLA_VXLAN_LINK, l.index(v.dev, 'dev')));
  out.push(u32Attr(IFLA_VXLAN_ID, v.vni));
  const local = ipBytes(v.local);
  out.push([local.length === 4 ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, local]);
  out.push(u8Attr(IFLA_VXLAN_LEARNING, 0));
  const port = Buffer.alloc(2);
  port.writeUInt16BE(v.port);
  out.push([IFLA_VXLAN_PORT, port]);
  return out;
}

const isAny = (b: Buffer): boolean => b.every((x) => x === 0);

/**
 * IFLA_INFO_DATA of a vxlan link → its tunnel, as the iproute2 parser reads `ip -d -json link`:
 * an unset (all-zeros) local address is not printed there, and is '' here; the underlay device by
 * name (`if<N>` when ip would not know it), absent when unbound.
 */
export function decodeVxlan(data: Buffer, nameOf: (index: number) => string): VxlanObj {
  const a = parseAttrs(data);
  const v4 = a.get(IFLA_VXLAN_LOCAL);
  const v6 = a.get(IFLA_VXLAN_LOCAL6);
  const local =
    v4 && v4.length === 4 && !isAny(v4) ? ipText(4, v4) : v6 && v6.length === 16 && !isAny(v6) ? ipText(6, v6) : '';
  const port = a.get(IFLA_VXLAN_PORT);
  const link = u32(a.get(IFLA_VXLAN_LINK)) ?? 0;
  return {
    vni: u32(a.get(IFLA_VXLAN_ID)) ?? 0,
    local: local ?? '',
    port: port && port.length >= 2 ? port.readUInt16BE(0) : 0,
    ...(link ? { dev: nameOf(link) } : {}),
  };
}
