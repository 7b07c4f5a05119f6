import { createHash } from 'node:crypto';
import { loadManifests } from '../manifest/index.js';
import type { ManifestSet } from '../manifest/types.js';
import { buildDesired } from '../desired/build.js';
import type { DesiredState } from '../model/desired.js';
import { CtnetFailure, type CtnetError } from '../model/errors.js';
import type { ObservedState } from '../model/kernel.js';
import { Iproute2Driver } from '../driver/iproute2.js';
import type { Driver } from '../driver/types.js';
import { observeFor, rebuildInventory } from '../observe/observe.js';
import { loadState } from '../state/store.js';
import type { Conflict, Inventory } from '../plan/types.js';
import type { GlobalOpts } from './output.js';

export const emptyDesired = (): DesiredState => ({
  host: { links: [], addresses: [], routes: [], neighbors: [], sysctls: [] },
  namespaces: {},
  uses: [],
  protectedInterfaces: ['lo'],
  conflicts: [],
});

export interface Loaded {
  readonly set: ManifestSet;
  readonly desired: DesiredState;
}

export async function loadDesired(paths: readonly string[], partial = false): Promise<Loaded> {
  const r = await loadManifests([...paths], { partial });
  if (!r.ok) throw new CtnetFailure(r.errors);
  return { set: r.value, desired: buildDesired(r.value) };
}

/** `container/ct1`, `network/lan`, ...: the owners every object ctnet makes for these manifests carries. */
export function ownersOf(set: ManifestSet): ReadonlySet<string> {
  return new Set([...set.networks, ...set.containers, ...set.vms, ...set.hosts].map((m) => `${m.kind === 'VirtualMachine' ? 'vm' : m.kind.toLowerCase()}/${m.metadata.name}`));
}

export function digestOf(set: ManifestSet): string {
  const docs = [...set.networks, ...set.containers, ...set.vms, ...set.hosts].map((m) => ({ kind: m.kind, name: m.metadata.name, spec: m.spec }));
  return createHash('sha256').update(JSON.stringify(docs)).digest('hex').slice(0, 16);
}

export const makeDriver = (g: GlobalOpts): Driver => new Iproute2Driver(g.hostNetns);

export interface KernelView {
  readonly observed: ObservedState;
  readonly inventory: Inventory;
}

/** Observe the kernel for these desired objects and the recorded ones; rebuild a lost inventory. */
export async function look(driver: Driver, g: GlobalOpts, desired: DesiredState): Promise<KernelView> {
  const st = loadState(g.stateDir);
  let observed: ObservedState;
  try {
    observed = await observeFor(driver, desired, st.inventory, st.lost);
  } catch (e) {
    throw new CtnetFailure([{ code: 'observe', message: (e as Error).message }]);
  }
  const inventory = st.lost ? rebuildInventory(observed, st.inventory) : st.inventory;
  return { observed, inventory };
}

/** A conflict names the manifest (and field) that asked for the object in the way. */
export function conflictErrors(set: ManifestSet | undefined, conflicts: readonly Conflict[]): CtnetError[] {
  return conflicts.map((c) => {
    const [kind, name] = (c.owner ?? '').split('/');
    const all = set ? [...set.networks, ...set.containers, ...set.vms, ...set.hosts] : [];
    const m = all.find((x) => x.kind.toLowerCase() === kind?.toLowerCase() && x.metadata.name === name);
    const path = c.field ?? 'metadata.name';
    const pos = m?.source.at(path.split('.'));
    return { code: 'conflict', message: c.message, path: m ? path : undefined, ...(pos ?? {}) };
  });
}
