import type { NeighborObj } from '../../model/kernel.js';
import { parseAddress } from '../../model/ip.js';
import {
  AF_INET,
  AF_INET6,
  NDA_DST,
  NDA_PROTOCOL,
  NDMSG_LEN,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NTF_PROXY,
  NUD_PERMANENT,
  RTM_DELNEIGH,
  RTM_NEWNEIGH,
} from './constants.js';
import { u8Attr, type Attr } from './encode.js';
import { ipBytes } from './format.js';
import type { Request } from './request-base.js';

/**
 * `ip neigh add|replace|del proxy DST dev D [protocol P]` as ipneigh_modify builds it: an ndmsg
 * flagged NTF_PROXY (a proxy ARP/NDP entry, not a neighbour cache entry), state permanent,
 * NDA_PROTOCOL before NDA_DST as ip sends them. A delete carries no protocol.
 */
export function neighRequest(op: 'neigh-add' | 'neigh-replace' | 'neigh-del', n: NeighborObj, index: number): Request {
  const a = parseAddress(n.dst);
  if (!a) throw new Error(`not an address: ${n.dst}`);
  const h = Buffer.alloc(NDMSG_LEN);
  h.writeUInt8(a.family === 4 ? AF_INET : AF_INET6, 0);
  h.writeInt32LE(index, 4);
  h.writeUInt16LE(NUD_PERMANENT, 8);
  h.writeUInt8(NTF_PROXY, 10);
  const attrs: Attr[] = [];
  if (op !== 'neigh-del' && n.protocol !== undefined) attrs.push(u8Attr(NDA_PROTOCOL, n.protocol));
  attrs.push([NDA_DST, ipBytes(n.dst)]);
  const flags =
    op === 'neigh-add' ? NLM_F_CREATE | NLM_F_EXCL : op === 'neigh-replace' ? NLM_F_CREATE | NLM_F_REPLACE : 0;
  return { type: op === 'neigh-del' ? RTM_DELNEIGH : RTM_NEWNEIGH, flags, header: h, attrs };
}
