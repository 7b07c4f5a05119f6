import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emptyInventory, type Inventory, type ObjectRecord } from '../model/inventory.js';

export const DEFAULT_STATE_DIR = '/var/lib/ctnet';

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

/** Reads state.json; a missing or corrupt file is not fatal (SPEC §2): it is rebuilt from markers. */
export function loadState(dir: string): LoadedState {
  const file = join(dir, 'state.json');
  const instance = instanceOf(dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { inventory: emptyInventory(instance), lost: true, corrupt: false, migrated: false };
  }
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    if (j.version === 1) return { inventory: migrateV1(j, instance), lost: false, corrupt: false, migrated: true };
    if (j.version !== 2 || typeof j.objects !== 'object' || typeof j.instance !== 'string') throw new Error('shape');
    return { inventory: j as unknown as Inventory, lost: false, corrupt: false, migrated: false };
  } catch {
    return { inventory: emptyInventory(instance), lost: true, corrupt: true, migrated: false };
  }
}

/** Version 1 kept namespaces and host sysctl originals; everything else was known from marks. */
function migrateV1(j: Record<string, unknown>, instance: string): Inventory {
  const objects: Record<string, ObjectRecord> = {};
  for (const [name, owner] of Object.entries((j.namespaces ?? {}) as Record<string, string>)) objects[`netns ${name}`] = { owner };
  for (const [key, original] of Object.entries((j.sysctls ?? {}) as Record<string, string>)) objects[`sysctl host ${key}`] = { owner: 'host/migrated', original };
  return { version: 2, instance, objects, ...(j.lastApplied ? { lastApplied: j.lastApplied as Inventory['lastApplied'] } : {}) };
}

/** Moves a corrupt state file aside (under the lock), keeping it for a person to read. */
export function setAsideCorrupt(dir: string): string {
  const file = join(dir, 'state.json');
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  return aside;
}

/** Write to a temporary file, fsync, rename: a crash leaves the old or the new file, never half. */
export function saveState(dir: string, inv: Inventory): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'state.json');
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(inv, null, 1) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
