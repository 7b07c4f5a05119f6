import type { FdbObj } from '../model/kernel.js';
import { formatAddress, parseAddress } from '../model/ip.js';
import { sortFdb } from './fdb-order.js';

type J = Record<string, unknown>;

/**
 * `bridge -json -batch` of `fdb show dev D` lines, one array per device in `devs`' order (bridge
 * leaves the device out of each entry when it was asked for one) → the entries with a remote in
 * the device's own table (`self`): the bridge's entries for its port and multicast addresses
 * carry no `dst`. Sorted as the netlink driver sorts them.
 */
export function parseFdb(docs: readonly unknown[], devs: readonly string[]): FdbObj[] {
  if (docs.length !== devs.length)
    throw new Error(`bridge printed ${docs.length} fdb lists for ${devs.length} devices`);
  const out: FdbObj[] = [];
  docs.forEach((doc, i) => {
    if (!Array.isArray(doc)) throw new Error('bridge printed no fdb list');
    for (const e of doc as J[]) {
      const flags = Array.isArray(e.flags) ? (e.flags as unknown[]) : [];
      const dst = typeof e.dst === 'string' ? parseAddress(e.dst) : undefined;
      if (!dst || typeof e.mac !== 'string' || !flags.includes('self')) continue;
      out.push({ dev: devs[i], dst: formatAddress(dst.family, dst.value), mac: e.mac.toLowerCase() });
    }
  });
  return sortFdb(out);
}
