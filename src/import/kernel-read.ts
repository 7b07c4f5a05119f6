import { emptyDesired, type DesiredState } from '../model/desired.js';
import { fail, ok, type CtnetError, type Result } from '../model/errors.js';
import { nsObjectsIn, type LinkObj, type ObservedState } from '../model/kernel.js';
import { look } from '../engine/session.js';
import type { EngineConfig } from '../engine/types.js';

/** What `import kernel` describes: the host, the namespaces chosen, as one observation. */
export interface KernelRead {
  readonly observed: ObservedState;
  /** The namespaces to describe, sorted. */
  readonly namespaces: readonly string[];
  readonly notices: readonly string[];
}

const invalid = (message: string): CtnetError => ({ code: 'invalid', message });

/** Namespaces named in the desired state are the ones observation reads (observe/observe.ts). */
const naming = (names: readonly string[]): DesiredState => ({
  ...emptyDesired(),
  objects: names.map((name) => ({ kind: 'netns' as const, ns: null, owner: 'import/kernel', obj: { name } })),
});

/** The namespaces on the other end of the host's veths, by the ids the host gives them. */
function vethNamespaces(o: ObservedState): string[] {
  const byId = new Map(Object.entries(o.netnsIds ?? {}).map(([name, id]) => [id, name]));
  const peerNs = (l: LinkObj): string | undefined =>
    l.kind === 'veth' && l.peerNetnsId !== undefined ? byId.get(l.peerNetnsId) : undefined;
  return [...new Set(o.host.links.flatMap((l) => peerNs(l) ?? []))];
}

/** Names asked for that are no namespace, or one ctnet never describes (the host's, its own). */
function refused(asked: readonly string[], o: ObservedState): CtnetError[] {
  const reserved = new Set(o.reservedNetns ?? []);
  return asked.flatMap((n) => {
    if (!o.netnsNames.includes(n)) return [invalid(`--netns ${n}: no such network namespace`)];
    if (reserved.has(n)) return [invalid(`--netns ${n}: it plays the host (or ctnet runs in it): not a container's`)];
    return [];
  });
}

/**
 * Reads the kernel through the engine's observation, changing nothing (not even a corrupt state
 * file is moved): first the host, to know the namespaces (those asked for, or every one a host
 * veth leads to), then the host again with those namespaces, all in one observation.
 */
export async function readKernel(c: EngineConfig, asked: readonly string[]): Promise<Result<KernelRead>> {
  const first = await look(c, emptyDesired(), 'read-only');
  const errors = refused(asked, first.observed);
  if (errors.length) return fail(errors);
  const reserved = new Set(first.observed.reservedNetns ?? []);
  const names = (asked.length ? [...new Set(asked)] : vethNamespaces(first.observed).filter((n) => !reserved.has(n)))
    .slice()
    .sort();
  const view = await look(c, naming(names), 'read-only');
  const missing = names.filter((n) => !nsObjectsIn(view.observed, n));
  if (missing.length)
    return fail(missing.map((n) => ({ code: 'observe', message: `namespace ${n} could not be read` })));
  return ok({ observed: view.observed, namespaces: names, notices: [...new Set([...first.notices, ...view.notices])] });
}
