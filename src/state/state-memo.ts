import { statSync } from 'node:fs';
import type { Inventory } from '../model/inventory.js';

/**
 * The last state this process read or wrote, with its file's identity at that moment. `watch`
 * reads the state back at every run, and at 1000 containers parsing its 1.5 MB again cost about
 * 16 ms a run; while the file is the one it wrote (same inode, size and times, to the
 * nanosecond: every write renames a new file into place), what it wrote is what it would read.
 * Anyone else's write shows as another file, and is read.
 */
let last:
  { readonly file: string; readonly stamp: string; readonly inventory: Inventory; readonly text: string } | undefined;

function stampOf(file: string): string | undefined {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/** The inventory last read from or written to `file`, if the file is still that one. */
export function rememberedInventory(file: string): Inventory | undefined {
  return remembered(file)?.inventory;
}

/** The inventory and the text last read from or written to `file`, if the file is still that one. */
export function remembered(file: string): { readonly inventory: Inventory; readonly text: string } | undefined {
  if (last?.file !== file) return undefined;
  return stampOf(file) === last.stamp ? last : undefined;
}

/**
 * `file` now holds `inventory`, as `text` (just read, or just written). Its top-level fields left undefined
 * (`overrides` when no `ctnet set` is in force, at almost every run) are dropped, as reading it
 * back would; one with an undefined field deeper is not kept.
 */
export function rememberInventory(file: string, inventory: Inventory, text: string): void {
  const stamp = stampOf(file);
  const kept = withoutUndefinedFields(inventory);
  last = stamp === undefined || hasUndefined(kept) ? undefined : { file, stamp, inventory: kept, text };
}

function withoutUndefinedFields(inv: Inventory): Inventory {
  if (!Object.values(inv).includes(undefined)) return inv;
  return Object.fromEntries(Object.entries(inv).filter(([, v]) => v !== undefined)) as unknown as Inventory;
}

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'object' || v === null) return false;
  return Array.isArray(v) ? v.some(hasUndefined) : Object.values(v).some(hasUndefined);
}
