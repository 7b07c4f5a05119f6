import { keyId, keyLabel, type ObjectKey } from '../model/keys.js';
import { append } from '../model/multimap.js';
import type { PlanContext } from './context.js';

/**
 * A partial destroy (`destroy PATH`) must not delete what objects outside PATH still stand on:
 * a network's bridge that a VM's tap or a container's veth is a port of, the interface an ipnet
 * container's addresses are on. They would be left cut off, and verify could not see it. Each such
 * object is a conflict of the owner that would delete it, naming its users, found from the
 * owners the inventory and the marks give.
 */
export function checkStillUsed(ctx: PlanContext): void {
  const users = new Map<string, string[]>();
  const parentOf = new Map<string, { key: ObjectKey; by: string }>();
  for (const { decl, item, owner } of ctx.keptOutside) {
    for (const p of [...decl.observedParents(item, ctx), ...(decl.leansOn?.(item, ctx) ?? [])]) {
      const by = ctx.goneBy(p);
      if (!by || by === owner) continue;
      const id = keyId(p);
      parentOf.set(id, { key: p, by });
      const user = `${owner} (${keyLabel(item.key)})`;
      if (!users.get(id)?.includes(user)) append(users, id, user);
    }
  }
  for (const [id, list] of [...users].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { key, by } = parentOf.get(id)!;
    const who = `${list.sort().join(', ')} still ${list.length > 1 ? 'use' : 'uses'}`;
    const message =
      `destroying ${by} would delete ${keyLabel(key)}, which ${who}: ` +
      'destroy them in the same run (name their manifests too), or keep it';
    ctx.conflict({ owner: by, message });
  }
}
