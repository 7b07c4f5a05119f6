import type { NeighborObj } from '../../model/kernel.js';
import { parseAttrs, u8 } from './attrs.js';
import { NDA_DST, NDA_PROTOCOL, NDMSG_LEN, NTF_PROXY, RTM_NEWNEIGH } from './constants.js';
import type { NlMsg } from './dump-reader.js';
import { familyOf, ipText } from './format.js';

/**
 * RTM_NEWNEIGH messages of a proxy dump → proxy entries (proxy ARP and NDP) in dump order, as the
 * iproute2 parser gives them for `ip -N -d -json neigh show proxy`. An entry on no device is
 * not one ctnet makes and is left out, as there.
 */
export function decodeProxyNeighbors(msgs: readonly NlMsg[], devName: (index: number) => string): NeighborObj[] {
  const out: NeighborObj[] = [];
  for (const m of msgs) {
    if (m.type !== RTM_NEWNEIGH || m.body.length < NDMSG_LEN) continue;
    const b = m.body;
    const family = familyOf(b.readUInt8(0));
    const index = b.readInt32LE(4);
    if (!family || !(b.readUInt8(10) & NTF_PROXY) || index <= 0) continue;
    const a = parseAttrs(b, NDMSG_LEN);
    const raw = a.get(NDA_DST);
    const dst = raw && ipText(family, raw);
    if (!dst) continue;
    out.push({ family, dst, dev: devName(index), proxy: true, protocol: u8(a.get(NDA_PROTOCOL)) });
  }
  return out;
}
