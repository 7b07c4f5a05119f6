import { isDeepStrictEqual } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DesiredState } from '../model/desired.js';
import type { CtnetError } from '../model/errors.js';
import { recordedSysctls, type Inventory, type ObjectRecord } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { parseMarker } from '../model/marker.js';
import type { Registry, RegistryEntry, SharedSysctls } from '../model/shared.js';
import { loadState } from '../state/store.js';
import { lockRegistry, readRegistry, registryDir, writeRegistry } from '../state/host-registry.js';
import type { ReconcileRequest } from './types.js';
import { lookup } from '../model/lookup.js';

/**
 * One run's part in the host-wide registry of shared host sysctls. An instance holds a key while
 * its inventory records it; another instance's hold counts while that instance is alive: its
 * state file still records the key, or (its state file lost) the host still has links bearing its
 * mark. A dead instance's hold is dropped, so it never pins a value forever.
 */
export interface SharedHost {
  readonly dir: string;
  readonly instance: string;
  readonly stateDir: string;
  readonly registry: Registry;
  /** Other live holders per key, known once `sharedView` has seen the kernel. */
  readonly live: Map<string, string[]>;
  release(): void;
}

const hostKeys = (inv: Inventory): string[] => Object.keys(recordedSysctls(inv));

/** The original and side effects, where known (absent fields stay absent in JSON). */
const known = (original: string | undefined, sideEffects: Readonly<Record<string, string>> | undefined) => ({
  ...(original !== undefined ? { original } : {}),
  ...(sideEffects ? { sideEffects } : {}),
});

/** Opens the registry of the host this run works on; locked when the run may change the kernel. */
export async function openSharedHost(
  req: ReconcileRequest,
  instance: string,
  desired: DesiredState,
): Promise<SharedHost | CtnetError | undefined> {
  // a driver passed in is a test's fake kernel: the host is not a namespace
  const dir = req.driver ? undefined : registryDir(req.hostNetns);
  if (!dir) return undefined;
  const wanted = desired.objects.some((d) => d.kind === 'sysctl' && d.ns === null);
  const held = (): boolean =>
    existsSync(join(dir, 'sysctls.json')) || hostKeys(loadState(req.stateDir).inventory).length > 0;
  if (!wanted && !held()) return undefined;
  const changes = req.mode !== 'plan' && !req.dryRun;
  const lock = changes ? await lockRegistry(dir) : undefined;
  if (lock && !lock.ok) {
    const who = `another ctnet${lock.holder ? ` (pid ${lock.holder})` : ''}`;
    return { code: 'lock', message: `${who} holds the host registry ${dir} (shared host sysctls)` };
  }
  const release = (): void => (lock?.ok ? lock.release() : undefined);
  return { dir, instance, stateDir: resolve(req.stateDir), registry: readRegistry(dir), live: new Map(), release };
}

/** This instance's holds, as records: a lost state file gets back the originals it was holding. */
export function ownHolds(h: SharedHost | undefined): Record<string, ObjectRecord> {
  const out: Record<string, ObjectRecord> = {};
  for (const [key, e] of Object.entries(h?.registry.sysctls ?? {})) {
    const mine = lookup(e.holders, h!.instance);
    if (mine) out[`sysctl host ${key}`] = { owner: mine.owner, ...known(e.original, e.sideEffects) };
  }
  return out;
}

/**
 * The inventory with this instance's holds: the true original (and the values its first write
 * rewrote) where the record lacks one (it found the value already set by another instance), and
 * with `add` (a lost state file) the records themselves.
 */
export function withHolds(inv: Inventory, holds: Record<string, ObjectRecord>, add: boolean): Inventory {
  const changed: [string, ObjectRecord][] = [];
  for (const [id, h] of Object.entries(holds)) {
    const own = lookup(inv.objects, id);
    if (own ? own.original === undefined : add) changed.push([id, own ? { ...h, owner: own.owner } : h]);
  }
  // thousands of records: copied only when a hold adds to them
  return changed.length ? { ...inv, objects: { ...inv.objects, ...Object.fromEntries(changed) } } : inv;
}

/** What the planner needs to know of the other instances: the true originals, and who still holds each key. */
export function sharedView(h: SharedHost | undefined, observed: ObservedState): SharedSysctls | undefined {
  if (!h) return undefined;
  const marked = new Set(observed.host.links.map((l) => parseMarker(l.alias)?.instance).filter((i) => i !== undefined));
  const out: Record<string, SharedSysctls[string]> = {};
  for (const [key, e] of Object.entries(h.registry.sysctls)) {
    const holds = Object.entries(e.holders);
    const others = holds.filter(([i, x]) => i !== h.instance && alive(x.stateDir, key, marked.has(i)));
    h.live.set(
      key,
      others.map(([i]) => i),
    );
    // nobody alive holds it: the original is stale (the holder died, or the namespace's inode was reused)
    if (!others.length && !lookup(e.holders, h.instance)) continue;
    out[key] = { original: e.original, sideEffects: e.sideEffects, heldBy: others.map(([i]) => i).sort() };
  }
  return out;
}

function alive(stateDir: string, key: string, marked: boolean): boolean {
  let text: string;
  try {
    text = readFileSync(join(stateDir, 'state.json'), 'utf8');
  } catch {
    return marked;
  }
  try {
    const objects = (JSON.parse(text) as { objects?: unknown }).objects;
    return typeof objects === 'object' && objects !== null && `sysctl host ${key}` in objects;
  } catch {
    return marked;
  }
}

/**
 * Writes this instance's holds after (or, with the union of before and after, ahead of) its
 * changes. A key first held gets the value the host had before this run as its original.
 */
export function saveHolds(h: SharedHost | undefined, inv: Inventory, before: ObservedState): void {
  if (!h) return;
  const mine = recordedSysctls(inv);
  const out: Record<string, RegistryEntry> = {};
  for (const [key, e] of Object.entries(h.registry.sysctls)) {
    const live = new Set(h.live.get(key) ?? []);
    const holders = Object.fromEntries(Object.entries(e.holders).filter(([i]) => live.has(i)));
    const rec = lookup(mine, key);
    if (rec) holders[h.instance] = { stateDir: h.stateDir, owner: rec.owner };
    if (Object.keys(holders).length && (live.size || lookup(e.holders, h.instance))) out[key] = { ...e, holders };
  }
  for (const [key, rec] of Object.entries(mine)) {
    if (lookup(out, key)) continue;
    const original = rec.original ?? before.host.sysctls[key];
    const holder = { stateDir: h.stateDir, owner: rec.owner };
    out[key] = { ...known(original, rec.sideEffects), holders: { [h.instance]: holder } };
  }
  const next = { version: 1, sysctls: out } as const;
  // the same holders as read: a run that changed nothing writes nothing (an empty registry's file is removed)
  if (Object.keys(out).length && isDeepStrictEqual(next, h.registry)) return;
  writeRegistry(h.dir, next);
}
