import type { Driver, ObserveRequest } from '../driver/types.js';
import { nsObjectsIn, type NsObjects, type ObservedState } from '../model/kernel.js';
import { lookup } from '../model/lookup.js';

/**
 * `watch` after kernel events: read the host and the namespaces the events named, take the
 * others from the previous observation (made by the previous run, which changed nothing).
 */
export interface ObserveOnly {
  readonly namespaces: readonly string[];
  readonly previous: ObservedState;
}

export interface Observation {
  readonly observed: ObservedState;
  /** Namespaces read from the kernel this time, the host included. */
  readonly read: number;
  /** When the other namespaces came from the previous observation: the named ones read now. */
  readonly within?: ReadonlySet<string>;
}

/** Which of the requested namespaces must be read: those named, and any the previous observation lacks. */
export function namespacesToRead(req: ObserveRequest, only: ObserveOnly): string[] {
  const named = new Set(only.namespaces);
  return req.namespaces.filter((n) => named.has(n) || !Object.hasOwn(only.previous.namespaces, n));
}

/**
 * The fresh observation (host, the namespace list and identities, and the namespaces in `read`)
 * completed with the previous one's contents of the other requested namespaces. Undefined when
 * the previous contents cannot be trusted: a namespace not read was recreated (another identity),
 * is new to the previous observation, or lacks a sysctl now asked for. The caller then observes
 * everything.
 */
export function mergeObservation(
  fresh: ObservedState,
  previous: ObservedState,
  req: ObserveRequest,
  read: readonly string[],
): ObservedState | undefined {
  const readSet = new Set(read);
  const broken = new Set(fresh.brokenNetns ?? []);
  const listed = new Set(fresh.netnsNames);
  const namespaces: Record<string, NsObjects> = { ...fresh.namespaces };
  for (const n of req.namespaces) {
    if (readSet.has(n)) continue;
    // gone or half made now: a full observation would not have it either
    if (!listed.has(n) || broken.has(n)) continue;
    const before = nsObjectsIn(previous, n);
    if (!before) return undefined;
    const id = fresh.netnsIdentity?.[n];
    if (id === undefined || id !== previous.netnsIdentity?.[n]) return undefined;
    const keys = req.nsSysctls?.[n] ?? [];
    if (keys.some((k) => lookup(before.sysctls, k) === undefined)) return undefined;
    namespaces[n] = before;
  }
  const ordered = Object.fromEntries(
    Object.keys(namespaces)
      .sort()
      .map((n) => [n, namespaces[n]]),
  );
  return { ...fresh, namespaces: ordered };
}

/** Observes for `req`, incrementally when `only` is given and the result can be trusted, else everything. */
export async function observeIncrementally(
  driver: Driver,
  req: ObserveRequest,
  only: ObserveOnly | undefined,
): Promise<Observation> {
  if (only && !req.allSysctls && !req.scanOnly?.length) {
    const read = namespacesToRead(req, only);
    const prev = only.previous;
    const knownNetnsIds = prev.netnsIdentity ? { ids: prev.netnsIds ?? {}, identity: prev.netnsIdentity } : undefined;
    const fresh = await driver.observe({ ...req, namespaces: read, ...(knownNetnsIds ? { knownNetnsIds } : {}) });
    const merged = mergeObservation(fresh, only.previous, req, read);
    if (merged) return { observed: merged, read: 1 + Object.keys(fresh.namespaces).length, within: new Set(read) };
  }
  const observed = await driver.observe(req);
  return { observed, read: 1 + Object.keys(observed.namespaces).length };
}
