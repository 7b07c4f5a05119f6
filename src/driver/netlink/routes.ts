import type { RouteObj } from '../../model/kernel.js';
import { parseAttrs, u32 } from './attrs.js';
import {
  RTA_DST,
  RTA_GATEWAY,
  RTA_OIF,
  RTA_TABLE,
  RTA_VIA,
  RTM_F_CLONED,
  RTM_NEWROUTE,
  RTMSG_LEN,
  RTNH_F_ONLINK,
  RTN_UNICAST,
  RT_TABLE_COMPAT,
  RT_TABLE_MAIN,
} from './constants.js';
import type { NlMsg } from './dump-reader.js';
import { familyOf, ipText } from './format.js';

/** RTA_VIA: a gateway of another family (struct rtvia: a 16-bit family, then the address). */
function viaText(b: Buffer | undefined): string | undefined {
  if (!b || b.length < 2) return undefined;
  const f = familyOf(b.readUInt16LE(0));
  return f && ipText(f, b.subarray(2));
}

/**
 * RTM_NEWROUTE messages → main-table unicast routes in dump order, as the iproute2 parser gives
 * them for `ip -N -d -json route show table all`: the local and broadcast tables are the
 * kernel's business, a multipath route has no single device or gateway, cached clones are not routes.
 */
export function decodeRoutes(msgs: readonly NlMsg[], devName: (index: number) => string): RouteObj[] {
  const out: RouteObj[] = [];
  for (const m of msgs) {
    if (m.type !== RTM_NEWROUTE || m.body.length < RTMSG_LEN) continue;
    const b = m.body;
    const family = familyOf(b.readUInt8(0));
    // most of a namespace's routes are the local table's: skipped before their attributes are read
    if (
      !family ||
      b.readUInt8(7) !== RTN_UNICAST ||
      (b.readUInt8(4) !== RT_TABLE_MAIN && b.readUInt8(4) !== RT_TABLE_COMPAT)
    )
      continue;
    const a = parseAttrs(b, RTMSG_LEN);
    const table = u32(a.get(RTA_TABLE)) ?? b.readUInt8(4);
    const flags = b.readUInt32LE(8);
    if (table !== RT_TABLE_MAIN || flags & RTM_F_CLONED) continue;
    const dstLen = b.readUInt8(1);
    const dstRaw = a.get(RTA_DST);
    const dstAddr = dstRaw && ipText(family, dstRaw);
    const dst = dstLen === 0 ? 'default' : dstAddr !== undefined ? `${dstAddr}/${dstLen}` : undefined;
    if (dst === undefined) continue;
    const gw = a.get(RTA_GATEWAY);
    const via = gw ? ipText(family, gw) : viaText(a.get(RTA_VIA));
    const oif = u32(a.get(RTA_OIF));
    out.push({
      family,
      dst,
      dev: oif ? devName(oif) : undefined,
      via: via || undefined,
      onlink: (flags & RTNH_F_ONLINK) !== 0,
      protocol: b.readUInt8(5),
    });
  }
  return out;
}
