import { keyId, type ObjectKey } from '../model/keys.js';
import { append } from '../model/multimap.js';
import type { Pending } from './order.js';

/**
 * A namespace's deletion comes last among the deletions it ends:
 *
 * - what is deleted inside it goes first (a runtime's namespace is only un-named: its contents
 *   must be removed one by one while it still has its name);
 * - what its owner had in the host goes first too (a routed container's proxy ARP/NDP entries on
 *   the uplink, say). Its addresses stop being published before they vanish, and it is faster:
 *   the kernel tears a namespace down asynchronously while holding the RTNL lock, so every
 *   rtnetlink request sent after a batch of namespace deletions waits for that teardown (500
 *   proxy entries: about 10 ms before 1000 namespace deletions, over 100 ms after them).
 *
 * A host deletion that itself waits for the namespace (deleteAfter) is left after it.
 */
export function netnsLast(pending: readonly Pending[]): Pending[] {
  const inside = new Map<string, ObjectKey[]>();
  const hostByOwner = new Map<string, Pending[]>();
  for (const p of pending) {
    if (p.action !== 'delete' || p.key.kind === 'netns') continue;
    if (typeof p.key.ns === 'string') append(inside, p.key.ns, p.key);
    else if (p.owner !== undefined) append(hostByOwner, p.owner, p);
  }
  return pending.map((p) => {
    if (p.action !== 'delete' || p.key.kind !== 'netns') return p;
    const id = keyId(p.key);
    const host = (p.owner !== undefined ? (hostByOwner.get(p.owner) ?? []) : [])
      .filter((h) => !h.deps.some((d) => keyId(d) === id))
      .map((h) => h.key);
    const before = [...(inside.get(p.key.name) ?? []), ...host];
    return before.length ? { ...p, deps: [...p.deps, ...before] } : p;
  });
}
