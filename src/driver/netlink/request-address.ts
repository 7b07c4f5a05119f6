import type { AddressObj } from '../../model/kernel.js';
import { parseCidr } from '../../model/ip.js';
import {
  AF_INET,
  AF_INET6,
  IFADDRMSG_LEN,
  IFA_ADDRESS,
  IFA_BROADCAST,
  IFA_F_NODAD,
  IFA_LOCAL,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELADDR,
  RTM_NEWADDR,
  RT_SCOPE_HOST,
} from './constants.js';
import type { Attr } from './encode.js';
import { ipBytes } from './format.js';
import type { Request } from './request-base.js';

/**
 * `ip address add CIDR [broadcast +] dev D [nodad]` and `ip address del CIDR dev D`, as
 * ipaddr_modify builds them: IFA_LOCAL and IFA_ADDRESS both carry the address (no peer), the
 * broadcast of an IPv4 prefix up to /30 is computed (`+`: host bits set), 127/8 gets host scope.
 * nodad goes in the header's 8 flag bits, where ip puts it (it sends IFA_FLAGS only for flags
 * above 0xff; the kernel reads either): the request is byte for byte ip's.
 */
export function addressRequest(add: boolean, a: AddressObj, index: number): Request {
  const c = parseCidr(a.cidr);
  if (!c) throw new Error(`not an address: ${a.cidr}`);
  const local = ipBytes(c.address);
  const h = Buffer.alloc(IFADDRMSG_LEN);
  h.writeUInt8(c.family === 4 ? AF_INET : AF_INET6, 0);
  h.writeUInt8(c.prefix, 1);
  const nodad = add && c.family === 6;
  if (nodad) h.writeUInt8(IFA_F_NODAD, 2);
  if (add && c.family === 4 && local[0] === 127) h.writeUInt8(RT_SCOPE_HOST, 3);
  h.writeUInt32LE(index, 4);
  const attrs: Attr[] = [
    [IFA_LOCAL, local],
    [IFA_ADDRESS, local],
  ];
  if (add && c.family === 4 && c.prefix <= 30) attrs.push([IFA_BROADCAST, broadcastOf(local, c.prefix)]);
  return { type: add ? RTM_NEWADDR : RTM_DELADDR, flags: add ? NLM_F_CREATE | NLM_F_EXCL : 0, header: h, attrs };
}

/** The address with every host bit set. */
function broadcastOf(local: Buffer, prefix: number): Buffer {
  const host = prefix === 0 ? 0xffffffff : (1 << (32 - prefix)) - 1;
  const b = Buffer.alloc(4);
  b.writeUInt32BE((local.readUInt32BE(0) | host) >>> 0);
  return b;
}
