import {
  AF_UNSPEC,
  NETNSA_FD,
  NETNSA_NSID,
  NETNSA_NSID_NOT_ASSIGNED,
  NLMSG_ERROR,
  NLM_F_ACK,
  RTGENMSG_LEN,
  RTM_GETNSID,
  RTM_NEWNSID,
} from './constants.js';
import { parseAttrs, s32 } from './attrs.js';
import { familyHeader, u32Attr } from './encode.js';
import { errorCode, splitMessages } from './dump-reader.js';
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

const EEXIST = 17;

/**
 * Gives each named namespace an id in the socket's namespace where it has none yet (what `ip
 * netns set NAME auto` does): a socket listening to all namespaces only hears those with an id.
 * The kernel already numbers a namespace when a veth joins it to this one; this covers the rest
 * (a container with only a loopback or a moved device). Returns the names it could not number.
 */
export function assignNetnsIdsVia(sock: NetlinkSocket, names: readonly string[]): string[] {
  const failed: string[] = [];
  for (const name of names) {
    const fd = openNetns(name);
    if (fd === undefined) continue; // gone meanwhile: nothing to hear
    try {
      const auto = Buffer.alloc(4);
      auto.writeInt32LE(NETNSA_NSID_NOT_ASSIGNED);
      const seq = sock.send(RTM_NEWNSID, NLM_F_ACK, familyHeader(RTGENMSG_LEN, AF_UNSPEC), [
        u32Attr(NETNSA_FD, fd),
        [NETNSA_NSID, auto],
      ]);
      const code = ack(sock, seq);
      if (code !== 0 && code !== -EEXIST) failed.push(name);
    } finally {
      closeFd(fd);
    }
  }
  return failed;
}

function ack(sock: NetlinkSocket, seq: number): number {
  for (;;) {
    for (const m of splitMessages(sock.recvChunk())) if (m.seq === seq && m.type === NLMSG_ERROR) return errorCode(m);
  }
}
