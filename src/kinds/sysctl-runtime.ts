import type { DesiredOf, ObjOf } from '../model/desired.js';
import type { KindView } from './types.js';

const parentKey = (ns: string) => ({ kind: 'netns' as const, ns: null, name: ns });

/**
 * A container's sysctl in a runtime's namespace (`netns: {path}`) that this plan names (first
 * apply) or names again (the runtime restarted): the namespace is not new, its sysctls have the
 * values the runtime left, read through the path. They are what the inventory records as the
 * originals, so `destroy` and a prune put them back: ctnet never deletes that namespace.
 */
export function runtimeSysctl(d: DesiredOf<'sysctl'>, v: KindView): ObjOf['sysctl'] | undefined {
  if (d.ns === null || !v.isFresh(parentKey(d.ns))) return undefined;
  const path = v.desiredAt(parentKey(d.ns))?.obj.path;
  const value = path === undefined ? undefined : v.observed.pathSysctls?.[path]?.[d.obj.key];
  return value === undefined ? undefined : { key: d.obj.key, value };
}

/** Originals recorded for a namespace this plan makes again belong to the old one: recorded afresh. */
export const staleOriginal = (d: DesiredOf<'sysctl'>, v: KindView): boolean =>
  d.ns !== null && v.isFresh(parentKey(d.ns));
