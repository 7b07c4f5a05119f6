import type { DesiredState } from '../model/desired.js';

/**
 * What a file-triggered watch run must read of the kernel: the namespaces of the owners whose
 * desired objects changed (before or after the change), plus the host, which is always read. An
 * owner is a manifest object; its objects are compared whole, so a change anywhere in what it
 * asks for (an address moved, an MTU from its network, an automatic address) marks it.
 */
export interface DesiredIndex {
  /** Each owner's desired objects, serialized in the builder's order. */
  readonly digests: ReadonlyMap<string, string>;
  /** The namespaces each owner's objects live in or name (a namespace itself, a veth's peer). */
  readonly namespaces: ReadonlyMap<string, readonly string[]>;
}

export function indexDesired(d: DesiredState): DesiredIndex {
  const parts = new Map<string, unknown[]>();
  const spaces = new Map<string, Set<string>>();
  for (const o of d.objects) {
    const list = parts.get(o.owner) ?? [];
    if (!list.length) parts.set(o.owner, list);
    list.push([o.kind, o.ns, o.obj]);
    const ns = spaces.get(o.owner) ?? new Set<string>();
    spaces.set(o.owner, ns);
    if (o.ns !== null) ns.add(o.ns);
    if (o.kind === 'netns') ns.add(o.obj.name);
    if (o.kind === 'link' && o.obj.peer?.netns) ns.add(o.obj.peer.netns);
  }
  return {
    digests: new Map([...parts].map(([owner, objs]) => [owner, JSON.stringify(objs)])),
    namespaces: new Map([...spaces].map(([owner, ns]) => [owner, [...ns]])),
  };
}

/** The namespaces of every owner that is new, gone, or asks for anything else than before. */
export function namespacesOfChanges(before: DesiredIndex, after: DesiredIndex): string[] {
  const out = new Set<string>();
  for (const owner of new Set([...before.digests.keys(), ...after.digests.keys()])) {
    if (before.digests.get(owner) === after.digests.get(owner)) continue;
    for (const i of [before, after]) for (const n of i.namespaces.get(owner) ?? []) out.add(n);
  }
  return [...out].sort();
}
