import { createHash } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emptyInventory, type Inventory, type ObjectRecord } from '../model/inventory.js';
import { CtnetFailure } from '../model/errors.js';
import { causeOf, writeFileAtomically } from './atomic-write.js';
import { remembered, rememberInventory, rememberedInventory } from './state-memo.js';

export const DEFAULT_STATE_DIR = '/var/lib/ctnet';
/** The layout this ctnet writes; it reads this one and migrates older ones. */
export const STATE_VERSION = 2;

/** The instance's identity: a digest of the state dir's path, so it survives a lost state file. */
export const instanceOf = (dir: string): string => createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 8);

export interface LoadedState {
  readonly inventory: Inventory;
  /** Missing or unreadable: ownership must be rebuilt from kernel markers. */
  readonly lost: boolean;
  /** The file was there but not a state file. */
  readonly corrupt: boolean;
  /** A version 1 file was migrated: its links carry marks without an instance. */
  readonly migrated: boolean;
}

/**
 * Reads state.json; a missing or corrupt file is not fatal (SPEC §2): it is rebuilt from markers.
 * A file of a newer layout is refused (CtnetFailure): this ctnet cannot know what it records.
 */
export function loadState(dir: string): LoadedState {
  const file = join(dir, 'state.json');
  const known = rememberedInventory(file);
  if (known) return { inventory: known, lost: false, corrupt: false, migrated: false };
  const instance = instanceOf(dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { inventory: emptyInventory(instance), lost: true, corrupt: false, migrated: false };
  }
  let j: Record<string, unknown> | null; // `null` is JSON too
  try {
    j = JSON.parse(text) as Record<string, unknown> | null;
  } catch {
    return { inventory: emptyInventory(instance), lost: true, corrupt: true, migrated: false };
  }
  // a newer layout is not corrupt: setting it aside would lose the sysctl originals it records
  if (typeof j?.version === 'number' && j.version > STATE_VERSION) {
    const message =
      `state file ${file} was written by a newer ctnet (state version ${j.version}; this ctnet reads` +
      ` up to version ${STATE_VERSION}): run that ctnet, or upgrade this one; the file is left as it is`;
    throw new CtnetFailure([{ code: 'state', message }]);
  }
  try {
    if (j?.version === 1) return { inventory: migrateV1(j, instance), lost: false, corrupt: false, migrated: true };
    if (j?.version !== 2 || typeof j.objects !== 'object' || typeof j.instance !== 'string') throw new Error('shape');
    rememberInventory(file, j as unknown as Inventory, text);
    return { inventory: j as unknown as Inventory, lost: false, corrupt: false, migrated: false };
  } catch {
    return { inventory: emptyInventory(instance), lost: true, corrupt: true, migrated: false };
  }
}

/** Version 1 kept namespaces and host sysctl originals; everything else was known from marks. */
function migrateV1(j: Record<string, unknown>, instance: string): Inventory {
  const objects: Record<string, ObjectRecord> = {};
  for (const [name, owner] of Object.entries((j.namespaces ?? {}) as Record<string, string>))
    objects[`netns ${name}`] = { owner };
  for (const [key, original] of Object.entries((j.sysctls ?? {}) as Record<string, string>))
    objects[`sysctl host ${key}`] = { owner: 'host/migrated', original };
  return {
    version: 2,
    instance,
    objects,
    ...(j.lastApplied ? { lastApplied: j.lastApplied as Inventory['lastApplied'] } : {}),
  };
}

/** Moves a corrupt state file aside (under the lock), keeping it for a person to read. */
export function setAsideCorrupt(dir: string): string {
  const file = join(dir, 'state.json');
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  return aside;
}

/** The state file's text for `inv`. */
const serialized = (inv: Inventory): string => JSON.stringify(inv, null, 1) + '\n';

/**
 * Whether the state file already records `inv`, all but the time in `lastApplied`: its text is what writing `inv`
 * with the file's time would give. Known only while the file is the one this process last read or wrote; a file
 * written otherwise (another layout, anyone else's write since) is written again.
 */
export function recordsAlready(dir: string, inv: Inventory): boolean {
  const known = remembered(join(dir, 'state.json'));
  if (!known) return false;
  const at = known.inventory.lastApplied?.at;
  const same = inv.lastApplied && at !== undefined ? { ...inv, lastApplied: { ...inv.lastApplied, at } } : inv;
  return serialized(same) === known.text;
}

/**
 * Written atomically (temporary file, fsync, rename). A failure (a full or read-only state dir)
 * leaves no temporary file and throws a CtnetFailure naming the state file and the cause.
 */
export function saveState(dir: string, inv: Inventory): void {
  const file = join(dir, 'state.json');
  try {
    const text = serialized(inv);
    writeFileAtomically(file, text);
    rememberInventory(file, inv, text);
  } catch (e) {
    throw new CtnetFailure([{ code: 'state', message: `cannot write state file ${file}: ${causeOf(e)}` }]);
  }
}
