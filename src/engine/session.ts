import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import type { Driver } from '../driver/types.js';
import { Iproute2Driver } from '../driver/iproute2.js';
import { observeFor, type ObserveScope } from '../observe/observe.js';
import { rebuildInventory } from '../observe/rebuild.js';
import { loadState, setAsideCorrupt, type LoadedState } from '../state/store.js';
import type { EngineConfig } from './types.js';

export const driverOf = (c: EngineConfig): Driver => c.driver ?? new Iproute2Driver(c.hostNetns);

export interface KernelView {
  readonly observed: ObservedState;
  readonly inventory: Inventory;
  readonly state: LoadedState;
  readonly notices: readonly string[];
}

/**
 * Reads the state and observes the kernel for these desired objects and the recorded ones. A lost
 * or corrupt state file is rebuilt from the markers and said so; with `locked`, a corrupt file is
 * set aside (only the lock holder may move it).
 */
export async function look(c: EngineConfig, desired: DesiredState, locked: boolean, scope: ObserveScope = {}): Promise<KernelView> {
  const state = loadState(c.stateDir);
  const notices: string[] = [];
  if (state.corrupt) {
    notices.push(locked
      ? `state file ${c.stateDir}/state.json is corrupt: set aside as ${setAsideCorrupt(c.stateDir)}; ownership rebuilt from kernel marks`
      : `state file ${c.stateDir}/state.json is corrupt: ownership rebuilt from kernel marks for this run (apply sets the file aside)`);
  }
  const observed = await observeFor(driverOf(c), desired, state.inventory, { ...scope, lost: state.lost });
  if (!state.lost) return { observed, inventory: state.inventory, state, notices };
  const inventory = rebuildInventory(observed, state.inventory.instance);
  const n = Object.keys(inventory.objects).length;
  if (n && !state.corrupt) notices.push(`state file ${c.stateDir}/state.json is missing: ownership of ${n} objects rebuilt from kernel marks`);
  return { observed, inventory, state, notices };
}
