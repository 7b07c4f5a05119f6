import type { DesiredState } from '../model/desired.js';
import type { Inventory, ObjectRecord } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import type { Driver } from '../driver/types.js';
import { fallbackNotice, makeDriver } from '../driver/select.js';
import { observeRequestFor, type ObserveScope } from '../observe/observe.js';
import { observeIncrementally, type ObserveOnly } from '../observe/incremental.js';
import { rebuildInventory } from '../observe/rebuild.js';
import { loadState, setAsideCorrupt, type LoadedState } from '../state/store.js';
import { acquireLock } from '../state/lock.js';
import { withHolds } from './shared-sysctls.js';
import type { EngineConfig } from './types.js';

export const driverOf = (c: EngineConfig): Driver => c.driver ?? makeDriver(c.driverName, c.hostNetns);

export interface KernelView {
  readonly observed: ObservedState;
  readonly inventory: Inventory;
  readonly state: LoadedState;
  readonly notices: readonly string[];
  /** Namespaces read from the kernel, the host included (the others came from a previous observation). */
  readonly observedNamespaces: number;
  /** The named namespaces read, when every other one came from the previous observation (`only`). */
  readonly within?: ReadonlySet<string>;
}

/**
 * How a command holds the state dir: `locked` (it holds the lock), `unlocked` (it may take the
 * lock briefly to set a corrupt file aside), `read-only` (plan: it changes nothing on disk).
 */
export type StateAccess = 'locked' | 'unlocked' | 'read-only';

/** Only a lock holder may move the file: a command that does not hold it takes it briefly; plan never moves it. */
async function setAside(c: EngineConfig, access: StateAccess): Promise<string> {
  const what = `state file ${c.stateDir}/state.json is corrupt`;
  if (access === 'read-only') {
    return (
      `${what}: planned from the ownership rebuilt from kernel marks; the file is left where it is` +
      ' (plan changes nothing; apply sets it aside)'
    );
  }
  const lock = access === 'locked' ? undefined : await acquireLock(c.stateDir, 0);
  if (lock && !lock.ok)
    return `${what}: ownership rebuilt from kernel marks for this run; another ctnet holds the lock, so the file stays where it is`;
  try {
    return `${what}: set aside as ${setAsideCorrupt(c.stateDir)}; ownership rebuilt from kernel marks`;
  } finally {
    if (lock?.ok) lock.release();
  }
}

/**
 * Reads the state and observes the kernel for these desired objects and the recorded ones. A lost
 * or corrupt state file is rebuilt from the markers and said so, and a corrupt one set aside.
 */
export async function look(
  c: EngineConfig,
  desired: DesiredState,
  access: StateAccess,
  scope: ObserveScope = {},
  only?: ObserveOnly,
  holds: Record<string, ObjectRecord> = {},
): Promise<KernelView> {
  const loaded = loadState(c.stateDir);
  // what the host-wide registry says this instance holds: the kernel keeps no trace of originals
  const state = { ...loaded, inventory: withHolds(loaded.inventory, holds, loaded.lost) };
  const notices: string[] = [];
  if (state.corrupt) notices.push(await setAside(c, access));
  const fallback = c.driver ? undefined : fallbackNotice(c.driverName);
  if (fallback) notices.push(fallback);
  const driver = driverOf(c);
  const request = await observeRequestFor(driver, desired, state.inventory, { ...scope, lost: state.lost });
  // a lost inventory is rebuilt from marks in every namespace: never from an old observation
  const {
    observed,
    read: observedNamespaces,
    within,
  } = await observeIncrementally(driver, request, state.lost || state.corrupt ? undefined : only);
  if (!state.lost) return { observed, inventory: state.inventory, state, notices, observedNamespaces, within };
  const rebuilt = rebuildInventory(observed, state.inventory.instance);
  const inventory = withHolds(rebuilt, holds, true);
  const n = Object.keys(inventory.objects).length;
  if (n && !state.corrupt)
    notices.push(`state file ${c.stateDir}/state.json is missing: ownership of ${n} objects rebuilt from kernel marks`);
  return { observed, inventory, state, notices, observedNamespaces };
}
