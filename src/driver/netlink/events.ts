import {
  AF_NETLINK, NDMSG_LEN, NETLINK_LISTEN_ALL_NSID, NETLINK_ROUTE, NTF_PROXY, RTM_DELNEIGH, RTM_NEWNEIGH,
  RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE, RTNLGRP_LINK, RTNLGRP_NEIGH,
  SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW, SOL_NETLINK, SOL_SOCKET, SO_RCVBUF,
} from './constants.js';
import { splitMessages } from './dump-reader.js';
import { loadLibc, SysError } from './libc.js';
import { inNetns } from './netns.js';

const EINTR = 4;
const EAGAIN = 11;
const ENOBUFS = 105;
const MSG_DONTWAIT = 0x40;
const GROUPS = [RTNLGRP_LINK, RTNLGRP_NEIGH, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE];
/** An apply of hundreds of containers sends thousands of messages between two polls. */
const RCVBUF = 4 << 20;
/** At most this many datagrams per drain: a flood never holds the event loop for long. */
const MAX_PER_DRAIN = 4096;

/** What one drain found: whether anything ctnet may own changed, and whether the kernel dropped messages. */
export interface Drained {
  readonly relevant: boolean;
  readonly overrun: boolean;
}

/**
 * One non-blocking rtnetlink socket subscribed to link, address, route and neighbour changes,
 * with NETLINK_LISTEN_ALL_NSID: it hears its own namespace and every namespace that has an id
 * there (what `ip monitor all-nsid` does), so container namespaces need no socket or process of
 * their own. Non-blocking because koffi calls are synchronous: the caller polls `drain()`.
 */
export class EventSocket {
  private readonly buf = Buffer.allocUnsafe(64 << 10);

  private constructor(private fd: number) {}

  /** In the namespace `netns` (null: the one this thread is in); the socket stays bound to it. */
  static open(netns: string | null): EventSocket {
    return netns === null ? EventSocket.here() : inNetns(netns, () => EventSocket.here());
  }

  private static here(): EventSocket {
    const c = loadLibc();
    const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
    if (fd < 0) throw new SysError('opening a netlink event socket', c.errno());
    const addr = Buffer.alloc(12); // sockaddr_nl: family, pad, port id 0 (the kernel picks), groups
    addr.writeUInt16LE(AF_NETLINK, 0);
    addr.writeUInt32LE(GROUPS.reduce((m, g) => (m | (1 << (g - 1))) >>> 0, 0), 8);
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    const size = Buffer.alloc(4);
    size.writeInt32LE(RCVBUF);
    // a small buffer only means ENOBUFS sooner, which is itself a trigger: its failure is not fatal
    c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
    if (c.setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, one, 4) < 0 || c.bind(fd, addr, addr.length) < 0) {
      const e = c.errno();
      c.close(fd);
      throw new SysError('subscribing to netlink events of every namespace', e);
    }
    return new EventSocket(fd);
  }

  /** Reads everything queued, without waiting. Throws only when the socket itself fails. */
  drain(): Drained {
    const c = loadLibc();
    let relevant = false;
    let overrun = false;
    for (let i = 0; i < MAX_PER_DRAIN && this.fd >= 0; i++) {
      const n = c.recv(this.fd, this.buf, this.buf.length, MSG_DONTWAIT);
      if (n < 0) {
        const e = c.errno();
        if (e === EINTR) continue;
        if (e === EAGAIN) break;
        // the kernel dropped messages: something changed, and we cannot know what
        if (e === ENOBUFS) { overrun = true; continue; }
        throw new SysError('reading netlink events', e);
      }
      if (!relevant) relevant = splitMessages(this.buf.subarray(0, n)).some(mayConcernCtnet);
    }
    return { relevant, overrun };
  }

  close(): void {
    if (this.fd >= 0) loadLibc().close(this.fd);
    this.fd = -1;
  }
}

/**
 * Ordinary ARP/NDP cache entries come and go all the time on a busy host and are never ctnet's:
 * of the neighbour messages only proxy entries count. Every link, address and route message does.
 */
export function mayConcernCtnet(m: { type: number; body: Buffer }): boolean {
  if (m.type !== RTM_NEWNEIGH && m.type !== RTM_DELNEIGH) return true;
  return m.body.length >= NDMSG_LEN && (m.body.readUInt8(10) & NTF_PROXY) !== 0;
}
