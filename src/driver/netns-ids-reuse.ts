import type { KnownNetnsIds } from './types.js';

/**
 * A namespace's id in the host is fixed from the moment it is given until either namespace dies,
 * and a name that still leads to the same namespace (the same `dev:ino`) is the same namespace, as
 * long as no deletion and re-creation under that name went unheard (`watch` reads everything after
 * any change under /run/netns). Asking each name costs an open, a request and a close: 90 ms for
 * 1000 namespaces, on every observation. So only the names that may have another answer are asked:
 * those without an id before (a veth made since gives one), those leading elsewhere now, new names;
 * and all of them when the host itself is another namespace. The host has no id in itself.
 */
export function namesToAsk(
  listed: readonly string[],
  identity: Readonly<Record<string, string>>,
  known: KnownNetnsIds | undefined,
  hostNetns: string | null,
): readonly string[] {
  if (!known) return listed;
  if (hostNetns !== null && (!Object.hasOwn(identity, hostNetns) || identity[hostNetns] !== known.identity[hostNetns]))
    return listed;
  const stale = (n: string): boolean =>
    !Object.hasOwn(known.ids, n) || !Object.hasOwn(identity, n) || identity[n] !== known.identity[n];
  return listed.filter((n) => n !== hostNetns && stale(n));
}

/** The ids of the listed names: those asked, and the known ones of the others, in listing order. */
export function mergeIds(
  listed: readonly string[],
  asked: readonly string[],
  known: KnownNetnsIds | undefined,
  answered: Readonly<Record<string, number>>,
): Record<string, number> {
  const fresh = new Set(asked);
  const out: Record<string, number> = {};
  for (const n of listed) {
    const id = fresh.has(n) ? answered[n] : known?.ids[n];
    if (id !== undefined) out[n] = id;
  }
  return out;
}
