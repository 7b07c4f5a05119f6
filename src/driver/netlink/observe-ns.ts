import type { NsObjects } from '../../model/kernel.js';
import { decodeAddresses } from './addresses.js';
import {
  AF_UNSPEC,
  IFADDRMSG_LEN,
  IFINFOMSG_LEN,
  IFLA_EXT_MASK,
  NDMSG_LEN,
  NTF_PROXY,
  RTEXT_FILTER_VF,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_GETNEIGH,
  RTM_GETROUTE,
  RTMSG_LEN,
  RT_TABLE_MAIN,
} from './constants.js';
import { readDump, type NlMsg } from './dump-reader.js';
import { familyHeader, u32Attr, type Attr } from './encode.js';
import { observeFdb } from './fdb.js';
import { decodeLinks, devNames } from './links.js';
import { decodeProxyNeighbors } from './neighbors.js';
import { decodeRoutes } from './routes.js';
import type { NetlinkSocket } from './socket.js';
import { retryInterrupted } from './dump-retry.js';
import { observationScratch, type Scratch } from './scratch.js';

const RTEXT_FILTER_SKIP_STATS = 8; // the counters are most of a link message, and never read

/** The four dumps an observation makes, as `ip link/address/route/neigh show` request them (all families). */
export type DumpName = 'link' | 'address' | 'route' | 'neigh';
const proxyHeader = (): Buffer => {
  const h = familyHeader(NDMSG_LEN, AF_UNSPEC);
  h.writeUInt8(NTF_PROXY, 10); // ndm_flags: the kernel then dumps proxy entries (pneigh) only
  return h;
};
/**
 * The main table only, when the socket has strict dumps: the local table (most of a namespace's routes) is never read.
 */
const routeHeader = (mainOnly: boolean): Buffer => {
  const h = familyHeader(RTMSG_LEN, AF_UNSPEC);
  if (mainOnly) h.writeUInt8(RT_TABLE_MAIN, 4); // rtm_table
  return h;
};
const REQUESTS: Record<DumpName, (strict: boolean) => [number, Buffer, Attr[]]> = {
  link: () => [
    RTM_GETLINK,
    familyHeader(IFINFOMSG_LEN, AF_UNSPEC),
    [u32Attr(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS)],
  ],
  address: () => [RTM_GETADDR, familyHeader(IFADDRMSG_LEN, AF_UNSPEC), []],
  route: (strict) => [RTM_GETROUTE, routeHeader(strict), []],
  neigh: () => [RTM_GETNEIGH, proxyHeader(), []],
};
export const DUMP_NAMES: readonly DumpName[] = ['link', 'address', 'route', 'neigh'];

/**
 * One dump as received (datagrams), retried with a growing, jittered wait while the kernel marks
 * it interrupted (NLM_F_DUMP_INTR; dump-retry.ts). `where` names the namespace in traces and errors.
 */
export function dumpChunks(
  sock: NetlinkSocket,
  name: DumpName,
  strict = false,
  where = '',
  scratch?: Scratch,
): Buffer[] {
  return retryInterrupted(`${name} dump${where ? ` in ${where}` : ''}`, () => {
    const [type, header, attrs] = REQUESTS[name](strict);
    const { chunks, result } = sock.dumpRaw(type, header, attrs, scratch);
    return { value: chunks, interrupted: result.interrupted };
  });
}

/** Data messages of a dump captured earlier (the sequence number is that of its first message). */
export function messagesOf(chunks: readonly Buffer[]): NlMsg[] {
  if (!chunks.length || chunks[0].length < 12) return [];
  return readDump(chunks, chunks[0].readUInt32LE(8)).messages;
}

/** The objects of one namespace from its four dumps: the same NsObjects the iproute2 driver returns. */
export function objectsOf(dumps: Readonly<Record<DumpName, readonly Buffer[]>>): NsObjects {
  const links = decodeLinks(messagesOf(dumps.link));
  const dev = devNames(links);
  return {
    links,
    addresses: decodeAddresses(messagesOf(dumps.address), links),
    routes: decodeRoutes(messagesOf(dumps.route), dev),
    neighbors: decodeProxyNeighbors(messagesOf(dumps.neigh), dev),
    sysctls: {},
  };
}

/** The four dumps; `strict`: the socket has strict dumps, so requests may carry filters. */
export function dumpAll(
  sock: NetlinkSocket,
  strict = false,
  where = '',
  scratch?: Scratch,
): Record<DumpName, Buffer[]> {
  const dumps = DUMP_NAMES.map((n) => [n, dumpChunks(sock, n, strict, where, scratch)]);
  return Object.fromEntries(dumps) as Record<DumpName, Buffer[]>;
}

/** The four dumps, and the forwarding entries of the namespace's VXLAN devices when it has any. */
export function observeWithSocket(sock: NetlinkSocket, where = ''): NsObjects {
  const strict = sock.strictDumps();
  // the previous namespace's datagrams are dead: what was decoded from them holds no Buffer
  observationScratch.reset();
  const objs = objectsOf(dumpAll(sock, strict, where, observationScratch));
  const fdb = observeFdb(sock, objs.links, strict, where);
  return fdb ? { ...objs, fdb } : objs;
}
