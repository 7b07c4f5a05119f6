import type { Plan } from '../plan/types.js';
import { canon } from './address-edit.js';
import type { OverrideView } from './overrides.js';

/**
 * A plan's reasons say when an action is there because of a runtime override, not the files: a
 * reviewer reading `plan` must not look for that address in the manifests.
 */
export function annotateOverrides(p: Plan, views: readonly OverrideView[]): Plan {
  if (!views.length) return p;
  const touched = new Map<string, Set<string>>();
  for (const v of views) {
    const owner = `container/${v.container}`;
    const s = touched.get(owner) ?? new Set<string>();
    for (const a of [...v.add, ...v.del]) s.add(canon(a));
    touched.set(owner, s);
  }
  const actions = p.actions.map((a) => {
    const addrs = a.owner ? touched.get(a.owner) : undefined;
    const k = a.key;
    const addr = k.kind === 'address' ? k.cidr : k.kind === 'route' || k.kind === 'neighbor' ? k.dst : undefined;
    if (!addrs || addr === undefined || !addrs.has(canon(addr))) return a;
    return { ...a, reason: `${a.reason} (runtime override: ctnet set ${a.owner!.slice('container/'.length)})` };
  });
  return { ...p, actions };
}
