import type { DesiredState } from '../model/desired.js';
import { isOwnedAlias, ownerOfAlias, type ObservedState } from '../model/kernel.js';
import type { Driver } from '../driver/types.js';
import type { Inventory } from '../plan/types.js';

/** What to look at: the host, every namespace owned or wanted, and the sysctls that matter. */
export async function observeFor(driver: Driver, desired: DesiredState, inventory: Inventory, lost: boolean): Promise<ObservedState> {
  const wanted = new Set([...Object.keys(desired.namespaces), ...Object.keys(inventory.namespaces)]);
  if (lost) for (const n of await driver.listNetns()) if (n !== driver.hostNetns) wanted.add(n);
  const sysctls = new Set([...desired.host.sysctls.map((s) => s.obj.key), ...Object.keys(inventory.sysctls)]);
  return driver.observe({ namespaces: [...wanted].sort(), sysctls: [...sysctls].sort() });
}

/**
 * A lost state file is rebuilt from markers: a namespace is ctnet's when a marked link in it is
 * the peer of a marked veth in this host namespace (same namespace id, same ifindexes: ifindexes alone repeat
 * across namespaces). A namespace with no such pair is never claimed.
 */
export function rebuildInventory(observed: ObservedState, inventory: Inventory): Inventory {
  const hostEnds = observed.host.links.filter((l) => l.kind === 'veth' && isOwnedAlias(l.alias));
  const namespaces: Record<string, string> = { ...inventory.namespaces };
  for (const [name, ns] of Object.entries(observed.namespaces)) {
    const id = observed.netnsIds?.[name];
    if (id === undefined) continue;
    const end = ns.links.find((l) => isOwnedAlias(l.alias) && hostEnds.some((h) => h.peerNetnsId === id && h.ifindex === l.peerIfindex && h.peerIfindex === l.ifindex));
    if (end) namespaces[name] = ownerOfAlias(end.alias)!;
  }
  return { ...inventory, namespaces };
}
