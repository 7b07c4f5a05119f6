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

  add<K extends keyof ObjOf>(kind: K, ns: NsRef, owner: Owner, obj: ObjOf[K]): void {
    const d = { kind, ns, owner, obj } as DesiredObject;
    const id = keyId(keyOf(d));
    const had = this.objects.get(id);
    if (had?.kind === 'sysctl' && d.kind === 'sysctl' && had.obj.value !== d.obj.value) {
      this.conflicts.push({ owner, field: 'spec.sysctls', message: `sysctl ${d.obj.key}=${d.obj.value} contradicts ${had.owner}, which needs ${d.obj.key}=${had.obj.value}` });
    }
    if (!had) this.objects.set(id, d);
  }

  build(): DesiredObject[] {
    return [...this.objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }
}
