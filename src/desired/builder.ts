import { isDeepStrictEqual } from 'node:util';
import { keyId } from '../model/keys.js';
import type { DesiredObject, DesiredState, ObjOf, Owner } from '../model/desired.js';
import type { NsRef } from '../model/kernel.js';
import { keyOf } from '../kinds/registry.js';

/**
 * Collects the desired objects of every namespace. The same object asked for twice (a sysctl
 * every routed network needs) is kept once, with its first owner; a sysctl asked for with two
 * values is a conflict. Sorting by key makes the result independent of manifest order.
 */
export class DesiredBuilder {
  private readonly objects = new Map<string, DesiredObject>();
  readonly conflicts: DesiredState['conflicts'][number][] = [];

  /**
   * `field`: where the manifest asks for it in so many words (a container's own routes); such an
   * object contradicting another is a conflict. Objects derived from networks: the first wins.
   */
  add<K extends keyof ObjOf>(kind: K, ns: NsRef, owner: Owner, obj: ObjOf[K], field?: string): void {
    const d = { kind, ns, owner, obj, ...(field ? { field } : {}) } as DesiredObject;
    const id = keyId(keyOf(d));
    const had = this.objects.get(id);
    if (had?.kind === 'sysctl' && d.kind === 'sysctl' && had.obj.value !== d.obj.value) {
      this.conflicts.push({
        owner,
        field: field ?? 'spec.sysctls',
        message: `sysctl ${d.obj.key}=${d.obj.value} contradicts ${had.owner}, which needs ${d.obj.key}=${had.obj.value}`,
      });
    }
    if (field && had?.kind === 'route' && d.kind === 'route' && !isDeepStrictEqual(had.obj, d.obj)) {
      const what = d.obj.dst === 'default' ? 'a default route' : `a route to ${d.obj.dst}`;
      this.conflicts.push({
        owner,
        field,
        message: `${what} is already made by ${had.owner === owner ? 'one of its interfaces' : had.owner}`,
      });
    }
    if (!had) this.objects.set(id, d);
  }

  build(): DesiredObject[] {
    return [...this.objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }
}
