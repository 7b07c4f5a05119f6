import type { FdbObj, LinkObj } from '../../model/kernel.js';
import { sortFdb } from '../fdb-order.js';
import { parseAttrs } from './attrs.js';
import {
  AF_BRIDGE,
  IFINFOMSG_LEN,
  NDA_DST,
  NDA_LLADDR,
  NDMSG_LEN,
  NTF_SELF,
  RTM_GETNEIGH,
  RTM_NEWNEIGH,
} from './constants.js';
import type { NlMsg } from './dump-reader.js';
import { retryInterrupted } from './dump-retry.js';
import { familyHeader } from './encode.js';
import { ipText, llAddrText } from './format.js';
import type { NetlinkSocket } from './socket.js';

/**
 * The fdb dump of one device (`bridge fdb show dev D`). The kernel filters on the header's
 * ifindex: a strict socket reads an ndmsg (ndm_ifindex), a legacy one only an ifinfomsg-sized
 * header (ifi_index, the same offset). Asking per device keeps the bridge's learned entries of
 * every other port, and the multicast lists of every other device, out of the answer.
 */
function fdbHeader(index: number, strict: boolean): Buffer {
  const h = familyHeader(strict ? NDMSG_LEN : IFINFOMSG_LEN, AF_BRIDGE);
  h.writeInt32LE(index, 4);
  return h;
}

/**
 * RTM_NEWNEIGH messages of an fdb dump → the entries with a remote (NDA_DST) in the device's own
 * table (NTF_SELF) of the given VXLAN devices: the bridge's entries for the port (NTF_MASTER) and
 * the multicast addresses carry none. Unsorted.
 */
export function decodeFdb(msgs: readonly NlMsg[], vxlans: ReadonlyMap<number, string>): FdbObj[] {
  const out: FdbObj[] = [];
  for (const m of msgs) {
    if (m.type !== RTM_NEWNEIGH || m.body.length < NDMSG_LEN) continue;
    const b = m.body;
    const dev = vxlans.get(b.readInt32LE(4));
    if (b.readUInt8(0) !== AF_BRIDGE || !(b.readUInt8(10) & NTF_SELF) || dev === undefined) continue;
    const a = parseAttrs(b, NDMSG_LEN);
    const raw = a.get(NDA_DST);
    const lladdr = a.get(NDA_LLADDR);
    const family = raw?.length === 4 ? 4 : raw?.length === 16 ? 6 : undefined;
    const dst = raw && family && ipText(family, raw);
    if (!dst || !lladdr) continue;
    out.push({ dev, dst, mac: llAddrText(0, lladdr) });
  }
  return out;
}

/**
 * The forwarding entries of a namespace's VXLAN devices, one dump per device, or undefined when
 * it has none (most namespaces: no dump at all, and NsObjects keeps no `fdb`).
 */
export function observeFdb(
  sock: NetlinkSocket,
  links: readonly LinkObj[],
  strict: boolean,
  where = '',
): FdbObj[] | undefined {
  const vxlans = new Map(links.filter((l) => l.kind === 'vxlan' && l.ifindex).map((l) => [l.ifindex!, l.name]));
  if (!vxlans.size) return undefined;
  const out: FdbObj[] = [];
  for (const [index, name] of vxlans) {
    const msgs = retryInterrupted(`fdb dump of ${name}${where ? ` in ${where}` : ''}`, () => {
      const { result } = sock.dumpRaw(RTM_GETNEIGH, fdbHeader(index, strict));
      return { value: result.messages, interrupted: result.interrupted };
    });
    out.push(...decodeFdb(msgs, vxlans));
  }
  return sortFdb(out);
}
