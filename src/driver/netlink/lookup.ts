import { IFINFOMSG_LEN, IFLA_EXT_MASK, IFLA_IFNAME, RTEXT_FILTER_VF, RTM_GETLINK, RTM_NEWLINK } from './constants.js';
import { strAttr, u32Attr } from './encode.js';
import { closeFd, openNetns } from './netns.js';
import { dumpChunks, messagesOf } from './observe-ns.js';
import { linkIndexes } from './links.js';
import { noDevice, Refusal, type Lookup } from './request-base.js';
import type { NetlinkSocket } from './socket.js';

const RTEXT_FILTER_SKIP_STATS = 8;
const DUMP_FROM = 32;

/** The ifindex of a link by name in the socket's namespace (RTM_GETLINK with IFLA_IFNAME), or undefined. */
export function linkIndexOf(sock: NetlinkSocket, name: string): number | undefined {
  const { ack, replies } = sock.transact(RTM_GETLINK, 0, Buffer.alloc(IFINFOMSG_LEN), [
    strAttr(IFLA_IFNAME, name),
    u32Attr(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS),
  ]);
  const link = replies.find((m) => m.type === RTM_NEWLINK && m.body.length >= IFINFOMSG_LEN);
  return ack.errno === 0 && link ? link.body.readInt32LE(4) : undefined;
}

/**
 * Names → ifindexes in one batch's namespace. When the batch names many links, the first name
 * asked for fills the cache from one dump of the namespace's links (a host batch addressing 300
 * new veths asks the kernel once, not 300 times); with few names (500 proxy entries on one uplink)
 * each is asked for alone, as is a name not in the dump or made or moved since. And the
 * descriptors of the named namespaces links are made in or moved to, opened once and closed with
 * the batch. A link the batch makes, deletes or moves away is forgotten, so a later operation on
 * that name asks again.
 */
export class BatchLookup implements Lookup {
  private readonly indexes = new Map<string, number>();
  private readonly fds = new Map<string, number>();
  private dumped: boolean;

  /** `names`: how many distinct links the batch's operations name. */
  constructor(
    private readonly sock: NetlinkSocket,
    readonly hostNetns: string | null,
    names = Infinity,
  ) {
    // a dump costs about as much as a few dozen single requests in a namespace of 1000 links
    this.dumped = names < DUMP_FROM;
  }

  index(name: string, missing: 'dev' | 'master'): number {
    let i = this.indexes.get(name);
    if (i === undefined && !this.dumped) {
      this.dumped = true;
      for (const [n, x] of linkIndexes(messagesOf(dumpChunks(this.sock, 'link'))))
        if (!this.indexes.has(n)) this.indexes.set(n, x);
      i = this.indexes.get(name);
    }
    if (i === undefined) {
      i = linkIndexOf(this.sock, name);
      if (i === undefined) throw noDevice(name, missing);
      this.indexes.set(name, i);
    }
    return i;
  }

  forget(name: string): void {
    this.indexes.delete(name);
  }

  forgetAll(): void {
    this.indexes.clear();
  }

  netnsFd(name: string): number {
    let fd = this.fds.get(name);
    if (fd === undefined) {
      fd = openNetns(name);
      // ip takes a netns it cannot open for a PID and refuses the word
      if (fd === undefined) throw new Refusal(`Error: argument "${name}" is wrong: Invalid "netns" value`);
      this.fds.set(name, fd);
    }
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) closeFd(fd);
    this.fds.clear();
  }
}
