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

/** Requests in one datagram: their answers (one small message each) stay well within a socket's receive buffer. */
const BATCH = 32;

/**
 * Namespace ids as the socket's namespace numbers the named namespaces (what a veth's
 * IFLA_LINK_NETNSID refers to), asked the way `ip netns list` does: RTM_GETNSID with the
 * namespace's file descriptor. A namespace without an id (or a file that is none) has no entry;
 * asking never assigns one. Asked 32 at a time in one datagram, without ACKs (each request has
 * exactly one answer: its id, or an error): one call into the kernel per name was about 80 µs,
 * 80 ms of a plan of 1000 containers.
 */
export function netnsIdsVia(sock: NetlinkSocket, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < names.length; i += BATCH) Object.assign(out, idsOf(sock, names.slice(i, i + BATCH)));
  return out;
}

function idsOf(sock: NetlinkSocket, names: readonly string[]): Record<string, number> {
  const open = names.flatMap((name) => {
    const fd = openNetns(name);
    return fd === undefined ? [] : [{ name, fd }];
  });
  try {
    if (!open.length) return {};
    const header = familyHeader(RTGENMSG_LEN, AF_UNSPEC);
    const seqs = sock.sendAll(
      open.map(({ fd }) => ({ type: RTM_GETNSID, flags: 0, header, attrs: [u32Attr(NETNSA_FD, fd)] })),
    );
    const ids = answers(sock, seqs);
    return Object.fromEntries(
      open.flatMap(({ name }, i) => (ids[i] !== undefined && ids[i] >= 0 ? [[name, ids[i]]] : [])),
    );
  } finally {
    for (const { fd } of open) closeFd(fd);
  }
}

/** The answer to each of `seqs`: an RTM_NEWNSID's id, or undefined for an error. */
function answers(sock: NetlinkSocket, seqs: readonly number[]): (number | undefined)[] {
  const index = new Map(seqs.map((s, i) => [s, i]));
  const out: (number | undefined)[] = new Array<number | undefined>(seqs.length);
  for (let left = seqs.length; left > 0;) {
    for (const m of splitMessages(sock.recvChunk())) {
      const i = index.get(m.seq);
      if (i === undefined || (m.type !== RTM_NEWNSID && m.type !== NLMSG_ERROR)) continue;
      if (m.type === RTM_NEWNSID) out[i] = s32(parseAttrs(m.body, RTGENMSG_LEN).get(NETNSA_NSID));
      index.delete(m.seq);
      left--;
    }
  }
  return out;
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
