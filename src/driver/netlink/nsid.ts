import { AF_UNSPEC, NETNSA_FD, NETNSA_NSID, NLMSG_ERROR, NLM_F_ACK, RTGENMSG_LEN, RTM_GETNSID, RTM_NEWNSID } from './constants.js';
import { parseAttrs, s32 } from './attrs.js';
import { familyHeader, u32Attr } from './encode.js';
import { splitMessages } from './dump-reader.js';
import { closeFd, openNetns } from './netns.js';
import type { NetlinkSocket } from './socket.js';

/**
 * Namespace ids as the socket's namespace numbers the named namespaces (what a veth's
 * IFLA_LINK_NETNSID refers to), asked the way `ip netns list` does: RTM_GETNSID with the
 * namespace's file descriptor. A namespace without an id (or a file that is none) has no entry;
 * asking never assigns one.
 */
export function netnsIdsVia(sock: NetlinkSocket, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) {
    const fd = openNetns(name);
    if (fd === undefined) continue;
    try {
      const seq = sock.send(RTM_GETNSID, NLM_F_ACK, familyHeader(RTGENMSG_LEN, AF_UNSPEC), [u32Attr(NETNSA_FD, fd)]);
      const id = answer(sock, seq);
      if (id !== undefined && id >= 0) out[name] = id;
    } finally {
      closeFd(fd);
    }
  }
  return out;
}

/** Reads the reply to `seq`: an RTM_NEWNSID then the ACK (asked for, so the answer always ends), or an error alone. */
function answer(sock: NetlinkSocket, seq: number): number | undefined {
  let id: number | undefined;
  for (;;) {
    for (const m of splitMessages(sock.recvChunk())) {
      if (m.seq !== seq) continue;
      if (m.type === RTM_NEWNSID) id = s32(parseAttrs(m.body, RTGENMSG_LEN).get(NETNSA_NSID));
      else if (m.type === NLMSG_ERROR) return id;
    }
  }
}
