import { emptyInventory, type Inventory, type ObjectRecord } from '../model/inventory.js';
import { keyId } from '../model/keys.js';
import type { ObservedState } from '../model/kernel.js';
import type { DesiredObject } from '../model/desired.js';
import { Ownership } from '../kinds/ownership.js';
import { KIND_ORDER, KINDS } from '../kinds/registry.js';
import type { Kind, KindDecl, KindView } from '../kinds/types.js';

/**
 * A lost or corrupt state file is rebuilt from this instance's kernel marks: namespaces by the
 * mark on their `lo`, links by theirs, and what lives on them (addresses, ctnet's routes and the
 * proxy entries those routes publish). Marks of other instances are never claimed. What the
 * kernel keeps no trace of (original sysctl values, an uplink's earlier state) is lost.
 */
export function rebuildInventory(
  observed: ObservedState,
  instance: string,
  lastApplied?: Inventory['lastApplied'],
): Inventory {
  const objects: Record<string, ObjectRecord> = {};
  let inv: Inventory = emptyInventory(instance);
  for (const kind of KIND_ORDER) {
    // each kind sees what earlier kinds claimed: a route's owner is its link's
    const view = rebuildView(observed, inv);
    const decl = KINDS[kind] as KindDecl<Kind>;
    for (const item of decl.observed(view)) {
      const owner = decl.markedOwner(item, view);
      if (owner) objects[keyId(item.key)] = { owner };
    }
    inv = { ...inv, objects: { ...objects } };
  }
  return { ...inv, ...(lastApplied ? { lastApplied } : {}) };
}

function rebuildView(observed: ObservedState, inv: Inventory): KindView {
  const own = new Ownership(observed, inv, false);
  const none: readonly DesiredObject[] = [];
  return Object.assign(own, {
    adopt: false,
    desired: none,
    isFresh: () => false,
    isGone: () => false,
    isProtected: () => false,
    sharedSysctl: () => undefined,
    desiredAt: () => undefined,
    desiredAddressesOn: () => [],
    desiredOf: () => [],
  });
}
