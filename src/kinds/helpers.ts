import type { NsObjects, NsRef, ObservedState } from '../model/kernel.js';
import type { Change, ChangeValue } from './types.js';

/**
 * Every observed namespace with its contents: the host first, then named ones by name; with `within`, only the
 * named ones it holds (a plan restricted to them).
 */
export function observedNamespaces(o: ObservedState, within?: ReadonlySet<string>): { ns: NsRef; objs: NsObjects }[] {
  const names = Object.keys(o.namespaces).filter((n) => !within || within.has(n));
  return [{ ns: null, objs: o.host }, ...names.sort().map((n) => ({ ns: n, objs: o.namespaces[n] }))];
}

/** A change when the desired value is set and differs from what the kernel has. */
export function changed<T extends ChangeValue>(
  out: Change[],
  field: string,
  want: T | undefined,
  have: T | undefined,
): void {
  if (want !== undefined && want !== have) out.push({ field, from: have, to: want });
}

export const compact = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const shown = (v: ChangeValue | undefined): string => (v === undefined || v === null ? 'none' : String(v));

export const describeChanges = (changes: readonly Change[]): string =>
  changes.map((c) => `${c.field} ${shown(c.from)} → ${shown(c.to)}`).join('; ');
