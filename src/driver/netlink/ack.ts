import { parseAttrs, str } from './attrs.js';
import { NLMSGERR_ATTR_MSG, NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED } from './constants.js';
import { align4 } from './encode.js';
import type { NlMsg } from './dump-reader.js';
import { strerror } from './libc.js';

/** The kernel's answer to one request: 0 or a positive errno, and the extended-ACK text if any. */
export interface Ack {
  readonly errno: number;
  readonly text?: string;
}

/**
 * Reads an NLMSG_ERROR (an ACK when its error is 0). With NETLINK_EXT_ACK the kernel may add a
 * human message (NLMSGERR_ATTR_MSG) after the echoed request header (and the request's body
 * unless NLM_F_CAPPED): that is what ip prints instead of strerror when it is there.
 */
export function ackOf(m: NlMsg): Ack {
  const b = m.body;
  const errno = b.length >= 4 ? Math.abs(b.readInt32LE(0)) : 22;
  if (!(m.flags & NLM_F_ACK_TLVS) || b.length < 4 + NLMSG_HDRLEN) return { errno };
  const echoed = m.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : b.readUInt32LE(4);
  const start = 4 + align4(echoed);
  if (start > b.length) return { errno };
  const text = str(parseAttrs(b, start).get(NLMSGERR_ATTR_MSG));
  return text ? { errno, text } : { errno };
}

/**
 * What ip prints for a refusal (lib/libnetlink.c): `Error: <extended ack>.` when the kernel
 * explained itself, else `RTNETLINK answers: <strerror>`.
 */
export function kernelMessage(a: Ack): string {
  if (a.text) return `Error: ${a.text}${a.text.endsWith('.') ? '' : '.'}`;
  return `RTNETLINK answers: ${strerror(a.errno)}`;
}
