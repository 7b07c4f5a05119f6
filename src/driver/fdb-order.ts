import type { FdbObj } from '../model/kernel.js';

/**
 * Forwarding entries in one order whatever the kernel's hash gave, so both drivers return equal
 * lists and snapshots do not churn: by device, then remote, then MAC.
 */
export function sortFdb(list: FdbObj[]): FdbObj[] {
  const k = (f: FdbObj): string => `${f.dev}\u0000${f.dst}\u0000${f.mac}`;
  return list.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}
