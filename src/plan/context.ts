import type { DesiredObject, DesiredOf, DesiredState } from '../model/desired.js';
import type { Inventory, ObjectRecord } from '../model/inventory.js';
import { keyId, type KeyOf, type ObjectKey } from '../model/keys.js';
import { keyOf } from '../kinds/registry.js';
import type { NsRef, ObservedState } from '../model/kernel.js';
import { Ownership } from '../kinds/ownership.js';
import type { Item, Kind, KindDecl, KindView } from '../kinds/types.js';
import type { Action, Conflict, PlanOptions } from './types.js';
import { append } from '../model/multimap.js';
import type { SharedSysctl } from '../model/shared.js';

/** The state of one planning pass: what kinds may read, and what the pass has decided so far. */
export class PlanContext extends Ownership implements KindView {
  readonly actions: Action[] = [];
  readonly conflicts: Conflict[] = [];
  readonly records = new Map<string, ObjectRecord>();
  private readonly fresh = new Set<string>();
  /** Objects this plan deletes or that go with what it deletes; by the owner whose deletion it is, when known. */
  private readonly gone = new Map<string, string | undefined>();
  /** What a partial destroy keeps because its owner is out of scope: it must not lose what it stands on. */
  readonly keptOutside: { readonly decl: KindDecl<Kind>; readonly item: Item<Kind>; readonly owner: string }[] = [];
  private readonly byKind = new Map<Kind, DesiredObject[]>();
  private readonly byId = new Map<string, DesiredObject>();
  private readonly addressesOn = new Map<string, DesiredOf<'address'>[]>();
  readonly adopt: boolean;
  readonly within?: ReadonlySet<string>;
  readonly protectedIfs: ReadonlySet<string>;

  constructor(
    readonly desiredState: DesiredState,
    observed: ObservedState,
    inventory: Inventory,
    readonly options: PlanOptions,
  ) {
    super(observed, inventory, !!options.legacyMarks);
    this.adopt = !!options.adopt;
    this.within = options.within;
    const within = options.within;
    for (const d of desiredState.objects) {
      // lookups see every object; only what is planned is restricted
      if (!within || d.ns === null || within.has(d.ns)) append(this.byKind, d.kind, d);
      this.byId.set(keyId(keyOf(d)), d);
      if (d.kind === 'address') append(this.addressesOn, `${d.ns ?? ''}\u0000${d.obj.dev}`, d);
    }
    const defaults = observed.host.routes.filter((r) => r.dst === 'default' && r.dev).map((r) => r.dev!);
    this.protectedIfs = new Set([...desiredState.protectedInterfaces, ...defaults]);
  }

  get desired(): readonly DesiredObject[] {
    return this.desiredState.objects;
  }

  desiredOf<K extends Kind>(kind: K): readonly DesiredOf<K>[] {
    return (this.byKind.get(kind) ?? []) as DesiredOf<K>[];
  }

  desiredAt<K extends Kind>(key: KeyOf<K>): DesiredOf<K> | undefined {
    return this.byId.get(keyId(key)) as DesiredOf<K> | undefined;
  }

  desiredAddressesOn(ns: NsRef, dev: string): readonly DesiredOf<'address'>[] {
    return this.addressesOn.get(`${ns ?? ''}\u0000${dev}`) ?? [];
  }

  isFresh(key: ObjectKey): boolean {
    return this.fresh.has(keyId(key));
  }

  isGone(key: ObjectKey): boolean {
    return this.gone.has(keyId(key));
  }

  markFresh(id: string): void {
    this.fresh.add(id);
  }

  markGone(id: string, by?: string): void {
    this.gone.set(id, by);
  }

  /** The owner whose deletion takes this object away, if this plan deletes it itself. */
  goneBy(key: ObjectKey): string | undefined {
    return this.gone.get(keyId(key));
  }

  sharedSysctl(key: string): SharedSysctl | undefined {
    return this.options.shared?.[key];
  }

  isProtected(name: string): boolean {
    return this.protectedIfs.has(name);
  }

  /** Whether an owned object that left the manifests may be deleted in this run. */
  inScope(owner: string | undefined): boolean {
    const scope = this.options.scope;
    return !scope || (owner !== undefined && scope.has(owner));
  }

  conflict(c: Conflict): void {
    this.conflicts.push(c);
  }
}
