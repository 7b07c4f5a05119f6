import { parseAttrs } from './attrs.js';
import {
  AF_BRIDGE,
  AF_NETLINK,
  NDA_DST,
  NDMSG_LEN,
  NETLINK_LISTEN_ALL_NSID,
  NETLINK_ROUTE,
  NTF_PROXY,
  RTM_DELNEIGH,
  RTM_NEWNEIGH,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV6_ROUTE,
  RTNLGRP_LINK,
  RTNLGRP_NEIGH,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_NETLINK,
  SOL_SOCKET,
  SO_RCVBUF,
} from './constants.js';
import { splitMessages, type NlMsg } from './dump-reader.js';
import { loadLibc, SysError } from './libc.js';
import { inNetns } from './netns.js';

const EINTR = 4;
const EAGAIN = 11;
const ENOBUFS = 105;
const MSG_DONTWAIT = 0x40;
const GROUPS = [
  RTNLGRP_LINK,
  RTNLGRP_NEIGH,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV6_ROUTE,
];
/** An apply of hundreds of containers sends thousands of messages between two polls. */
const RCVBUF = 4 << 20;
/** At most this many datagrams per drain: a flood never holds the event loop for long. */
const MAX_PER_DRAIN = 4096;

/**
 * What one drain found: whether anything ctnet may own changed, and whether the kernel dropped
 * messages. `nsids`: the namespace ids (relative to the socket's namespace) the relevant messages
 * came from; `local`: some came from the socket's own namespace (no id).
 */
export interface Drained {
  readonly relevant: boolean;
  readonly overrun: boolean;
  readonly nsids: ReadonlySet<number>;
  readonly local: boolean;
}

/** What a socket listens to: a netlink family, its multicast groups, and which messages count. */
export interface Subscription {
  readonly protocol: number;
  readonly groups: readonly number[];
  /** NETLINK_LISTEN_ALL_NSID: hear every namespace that has an id in the socket's. */
  readonly allNsid: boolean;
  readonly relevant: (m: NlMsg) => boolean;
}

/** `sizeof(struct cmsghdr)` on 64-bit Linux: size_t len, int level, int type. */
const CMSG_HDR = 16;

/**
 * One non-blocking rtnetlink socket subscribed to link, address, route and neighbour changes,
 * with NETLINK_LISTEN_ALL_NSID: it hears its own namespace and every namespace that has an id
 * there (what `ip monitor all-nsid` does), so container namespaces need no socket or process of
 * their own. Non-blocking because koffi calls are synchronous: the caller polls `drain()`.
 */
export class EventSocket {
  private readonly buf = Buffer.allocUnsafe(64 << 10);
  private readonly ctl = Buffer.alloc(64);

  private constructor(
    private fd: number,
    private readonly relevant: (m: NlMsg) => boolean,
  ) {}

  /** In the namespace `netns` (null: the one this thread is in); the socket stays bound to it. */
  static open(netns: string | null): EventSocket {
    const s: Subscription = { protocol: NETLINK_ROUTE, groups: GROUPS, allNsid: true, relevant: mayConcernCtnet };
    return EventSocket.subscribe(netns, s);
  }

  /** Any netlink family's multicast groups (`NETLINK_NETFILTER` for nftables: nft-events.ts). */
  static subscribe(netns: string | null, s: Subscription): EventSocket {
    return netns === null ? EventSocket.here(s) : inNetns(netns, () => EventSocket.here(s));
  }

  private static here(s: Subscription): EventSocket {
    const c = loadLibc();
    const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, s.protocol);
    if (fd < 0) throw new SysError('opening a netlink event socket', c.errno());
    const addr = Buffer.alloc(12); // sockaddr_nl: family, pad, port id 0 (the kernel picks), groups
    addr.writeUInt16LE(AF_NETLINK, 0);
    addr.writeUInt32LE(
      s.groups.reduce((m, g) => (m | (1 << (g - 1))) >>> 0, 0),
      8,
    );
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    const size = Buffer.alloc(4);
    size.writeInt32LE(RCVBUF);
    // a small buffer only means ENOBUFS sooner, which is itself a trigger: its failure is not fatal
    c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
    const allNsid = (): boolean => !s.allNsid || c.setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, one, 4) >= 0;
    if (!allNsid() || c.bind(fd, addr, addr.length) < 0) {
      const e = c.errno();
      c.close(fd);
      throw new SysError(`subscribing to netlink events${s.allNsid ? ' of every namespace' : ''}`, e);
    }
    return new EventSocket(fd, s.relevant);
  }

  /** Reads everything queued, without waiting. Throws only when the socket itself fails. */
  drain(): Drained {
    const c = loadLibc();
    let relevant = false;
    let overrun = false;
    let local = false;
    const nsids = new Set<number>();
    for (let i = 0; i < MAX_PER_DRAIN && this.fd >= 0; i++) {
      const msg = {
        name: null,
        namelen: 0,
        iov: { base: this.buf, len: this.buf.length },
        iovlen: 1,
        control: this.ctl,
        controllen: this.ctl.length,
        flags: 0,
      };
      const n = c.recvmsg(this.fd, msg, MSG_DONTWAIT);
      if (n < 0) {
        const e = c.errno();
        if (e === EINTR) continue;
        if (e === EAGAIN) break;
        // the kernel dropped messages: something changed, and we cannot know what
        if (e === ENOBUFS) {
          overrun = true;
          continue;
        }
        throw new SysError('reading netlink events', e);
      }
      if (!splitMessages(this.buf.subarray(0, n)).some(this.relevant)) continue;
      relevant = true;
      const id = sourceNsid(this.ctl.subarray(0, Math.min(msg.controllen, this.ctl.length)));
      if (id === undefined) local = true;
      else nsids.add(id);
    }
    return { relevant, overrun, nsids, local };
  }

  close(): void {
    if (this.fd >= 0) loadLibc().close(this.fd);
    this.fd = -1;
  }
}

/**
 * The source namespace's id from a datagram's ancillary data (SOL_NETLINK / NETLINK_LISTEN_ALL_NSID,
 * one int), or undefined when there is none: the socket's own namespace.
 */
export function sourceNsid(control: Buffer): number | undefined {
  for (let off = 0; off + CMSG_HDR <= control.length;) {
    const len = Number(control.readBigUInt64LE(off));
    if (len < CMSG_HDR || off + len > control.length) return undefined;
    const level = control.readInt32LE(off + 8);
    const type = control.readInt32LE(off + 12);
    if (level === SOL_NETLINK && type === NETLINK_LISTEN_ALL_NSID && len >= CMSG_HDR + 4) {
      const id = control.readInt32LE(off + CMSG_HDR);
      return id < 0 ? undefined : id;
    }
    off += (len + 7) & ~7;
  }
  return undefined;
}

/**
 * Ordinary ARP/NDP cache entries come and go all the time on a busy host and are never ctnet's,
 * nor are the MACs a bridge learns: of the neighbour messages only proxy entries count, and
 * forwarding entries with a remote (a VXLAN device's, AF_BRIDGE with NDA_DST: one deleted by hand
 * is repaired). Every link, address and route message does.
 */
export function mayConcernCtnet(m: { type: number; body: Buffer }): boolean {
  if (m.type !== RTM_NEWNEIGH && m.type !== RTM_DELNEIGH) return true;
  if (m.body.length < NDMSG_LEN) return false;
  if (m.body.readUInt8(0) === AF_BRIDGE) return parseAttrs(m.body, NDMSG_LEN).has(NDA_DST);
  return (m.body.readUInt8(10) & NTF_PROXY) !== 0;
}
