import type { RouteObj } from '../../model/kernel.js';
import { parseAddress, parseCidr } from '../../model/ip.js';
import {
  AF_INET,
  AF_INET6,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  RTA_DST,
  RTA_GATEWAY,
  RTA_OIF,
  RTA_VIA,
  RTMSG_LEN,
  RTM_DELROUTE,
  RTM_NEWROUTE,
  RTNH_F_ONLINK,
  RTN_UNICAST,
  RTPROT_BOOT,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_MAIN,
} from './constants.js';
import { u32Attr, type Attr } from './encode.js';
import { ipBytes } from './format.js';
import type { Request } from './request-base.js';

const af = (f: 4 | 6): number => (f === 4 ? AF_INET : AF_INET6);

/**
 * `ip route add|replace|del DST [via GW] [dev D] [onlink] [proto P]` as iproute_modify builds
 * it, in the main table: an add or replace is a unicast route of protocol `boot` unless given,
 * scope link for an IPv4 route without a gateway (a connected route), universe otherwise; a
 * delete matches any type and scope (RTN_UNSPEC, RT_SCOPE_NOWHERE) and only the given protocol.
 * Add refuses an existing route (CREATE|EXCL), replace takes its place (CREATE|REPLACE).
 */
export function routeRequest(
  op: 'route-add' | 'route-replace' | 'route-del',
  r: RouteObj,
  oif: number | undefined,
): Request {
  const del = op === 'route-del';
  const dst = r.dst === 'default' ? undefined : parseCidr(r.dst);
  if (r.dst !== 'default' && !dst) throw new Error(`not a destination: ${r.dst}`);
  const h = Buffer.alloc(RTMSG_LEN);
  h.writeUInt8(af(r.family), 0);
  h.writeUInt8(dst?.prefix ?? 0, 1);
  h.writeUInt8(RT_TABLE_MAIN, 4);
  h.writeUInt8(r.protocol ?? (del ? 0 : RTPROT_BOOT), 5);
  h.writeUInt8(del ? RT_SCOPE_NOWHERE : r.family === 4 && r.via === undefined ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE, 6);
  h.writeUInt8(del ? 0 : RTN_UNICAST, 7);
  if (r.onlink) h.writeUInt32LE(RTNH_F_ONLINK, 8);
  const attrs: Attr[] = [];
  if (dst && dst.prefix > 0) attrs.push([RTA_DST, ipBytes(dst.address)]);
  if (r.via !== undefined) attrs.push(gateway(r.family, r.via));
  if (oif !== undefined) attrs.push(u32Attr(RTA_OIF, oif));
  const flags =
    op === 'route-add' ? NLM_F_CREATE | NLM_F_EXCL : op === 'route-replace' ? NLM_F_CREATE | NLM_F_REPLACE : 0;
  return { type: del ? RTM_DELROUTE : RTM_NEWROUTE, flags, header: h, attrs };
}

/** RTA_GATEWAY, or RTA_VIA (family, then address) for a gateway of the other family. */
function gateway(family: 4 | 6, via: string): Attr {
  const g = parseAddress(via);
  if (!g) throw new Error(`not a gateway: ${via}`);
  if (g.family === family) return [RTA_GATEWAY, ipBytes(via)];
  const fam = Buffer.alloc(2);
  fam.writeUInt16LE(af(g.family));
  return [RTA_VIA, Buffer.concat([fam, ipBytes(via)])];
}
