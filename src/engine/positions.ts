import type { ManifestSet } from '../manifest/types.js';
import type { CtnetError } from '../model/errors.js';
import type { Conflict } from '../plan/types.js';
import { ownerOf } from '../desired/owner.js';

/** A conflict names the manifest (and field) that asked for the object in the way. */
export function conflictErrors(set: ManifestSet | undefined, conflicts: readonly Conflict[]): CtnetError[] {
  const all = set ? [...set.networks, ...set.containers, ...set.vms, ...set.hosts] : [];
  return conflicts.map((c) => {
    const m = all.find((x) => ownerOf(x) === c.owner);
    const path = c.field ?? 'metadata.name';
    // `spec.interfaces[0].device` → ['spec', 'interfaces', 0, 'device']
    const segments = path.split(/\.|(?=\[)/).map((s) => (/^\[\d+\]$/.test(s) ? Number(s.slice(1, -1)) : s));
    const pos = m?.source.at(segments);
    return { code: 'conflict', message: c.message, path: m ? path : undefined, ...(pos ?? {}) };
  });
}

/**
 * The allocation step's refusals and the planner's conflicts in one list, so that a set with both
 * kinds of mistake hears of every one at once; a conflict at a place the allocation step already
 * named (an address both see) is said once.
 */
export function allRefusals(
  first: readonly CtnetError[],
  set: ManifestSet | undefined,
  conflicts: readonly Conflict[],
): CtnetError[] {
  const place = (e: CtnetError): string => `${e.file}:${e.line}:${e.column}:${e.path}`;
  const named = new Set(first.filter((e) => e.file !== undefined).map(place));
  return [...first, ...conflictErrors(set, conflicts).filter((e) => e.file === undefined || !named.has(place(e)))];
}
