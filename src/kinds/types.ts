import type { DesiredObject, DesiredOf, ObjOf, Owner } from '../model/desired.js';
import type { ObjectRecord } from '../model/inventory.js';
import type { KeyOf, ObjectKey } from '../model/keys.js';
import type { LinkObj, NsRef, ObservedState } from '../model/kernel.js';
import type { Op } from '../model/ops.js';
import type { SharedSysctl } from '../model/shared.js';

export type Kind = keyof ObjOf;

/** An object as the kernel shows it, with its key. */
export interface Item<K extends Kind> {
  readonly key: KeyOf<K>;
  readonly ns: NsRef;
  readonly obj: ObjOf[K];
}

/** A field's value as a change shows it: a scalar, or a list (shown `a,b`). */
export type ChangeValue = string | number | boolean | null | readonly string[];

export interface Change {
  readonly field: string;
  readonly from?: ChangeValue;
  readonly to?: ChangeValue;
}

/**
 * What a kind declaration may ask of the planning pass. Everything is read-only, except that
 * the pass itself records which objects this plan creates (fresh) or removes (gone).
 */
export interface KindView {
  readonly instance: string;
  readonly observed: ObservedState;
  readonly adopt: boolean;
  /** The loaded state was version 1: links marked without an instance are this instance's. */
  readonly legacyMarks: boolean;
  readonly desired: readonly DesiredObject[];
  /**
   * The named namespaces this pass plans, with the host (all when absent): every other one is as the last
   * plan that changed nothing saw it, and its owners ask for what they asked then.
   */
  readonly within?: ReadonlySet<string>;
  record(key: ObjectKey): ObjectRecord | undefined;
  /** Every record of one kind, by key id. */
  recorded(kind: Kind): [string, ObjectRecord][];
  /** Created or replaced by this plan: what lived on it is gone and must be made again. */
  isFresh(key: ObjectKey): boolean;
  /** Deleted by this plan, or vanishing with something deleted. */
  isGone(key: ObjectKey): boolean;
  /** Owner of an observed link: its record, else this instance's marker. */
  linkOwner(ns: NsRef, dev: string | undefined): Owner | undefined;
  /** Owner of a namespace ctnet owns (record, else the marker on its lo). */
  netnsOwner(name: string): Owner | undefined;
  observedLink(ns: NsRef, name: string): LinkObj | undefined;
  /** The device of ctnet's route to an address in a namespace (indexed). */
  ctnetRouteDev(ns: NsRef, address: string): string | undefined;
  /** A host link by ifindex, and a namespace by the id the host gives it (indexed: no scans). */
  hostLinkAt(ifindex: number | undefined): LinkObj | undefined;
  netnsOfId(id: number | undefined): string | undefined;
  /** The desired object of a key, and the desired addresses on one link (indexed). */
  desiredAt<K extends Kind>(key: KeyOf<K>): DesiredOf<K> | undefined;
  desiredAddressesOn(ns: NsRef, dev: string): readonly DesiredOf<'address'>[];
  /** Never modified, enslaved or moved: `lo`, the default routes' interfaces, Host.protectedInterfaces. */
  isProtected(name: string): boolean;
  desiredOf<K extends Kind>(kind: K): readonly DesiredOf<K>[];
  /** A host sysctl as the other instances on this host share it (registry data, read at observe time). */
  sharedSysctl(key: string): SharedSysctl | undefined;
}

/**
 * One kind of kernel object, declared once: its key, how ownership is known, what is compared,
 * how it is created, changed in place, replaced and deleted, and what it depends on. The
 * planner is generic over these declarations.
 */
export interface KindDecl<K extends Kind> {
  readonly kind: K;
  /** Kinds are planned in this order: a kind may read what earlier kinds decided. */
  readonly rank: number;
  /** The typed key of an object in its namespace. */
  key(ns: NsRef, obj: ObjOf[K]): KeyOf<K>;
  /** Objects as the kernel shows them (in every observed namespace). */
  observed(view: KindView): Item<K>[];
  /** Ownership a kernel marker or a parent proves, for objects the inventory does not record. */
  markedOwner(item: Item<K>, view: KindView): Owner | undefined;
  /** Objects this one lives on: made again when they are, gone when they go. */
  parents(d: DesiredOf<K>, view: KindView): ObjectKey[];
  observedParents(item: Item<K>, view: KindView): ObjectKey[];
  /** Objects this one needs to work that do not take it along when they go (a port's bridge). */
  leansOn?(item: Item<K>, view: KindView): ObjectKey[];
  /** Other objects that must exist before this one is created. */
  needs?(d: DesiredOf<K>, view: KindView): ObjectKey[];
  /** Objects whose creation must come before this one's deletion (make before break). */
  deleteAfter?(item: Item<K>, view: KindView): ObjectKey[];
  /** An unowned object with the same key: why it blocks, and whether `--adopt` may take it. */
  foreign(
    d: DesiredOf<K>,
    o: ObjOf[K],
    view: KindView,
  ): { readonly message: string; readonly adoptable: boolean; readonly field?: string } | undefined;
  /** Something else in the kernel keeps this object from being created. */
  blockedBy?(d: DesiredOf<K>, view: KindView): string | undefined;
  /**
   * What creating this object deletes first, in words (a stale veth end holding its peer's name):
   * such a creation is disruptive. Its `create` operations do the deleting.
   */
  displaces?(d: DesiredOf<K>, view: KindView): string | undefined;
  /** The object as it is right after its parent was (re)created: a new namespace's lo, a new veth's peer end. */
  implicit?(d: DesiredOf<K>, view: KindView): ObjOf[K] | undefined;
  compare(d: DesiredOf<K>, o: ObjOf[K], view: KindView): Change[];
  /** Why the kernel cannot make these changes in place, if it cannot. */
  replaceReason?(d: DesiredOf<K>, o: ObjOf[K], changes: readonly Change[], view: KindView): string | undefined;
  create(d: DesiredOf<K>, view: KindView): Op[];
  update(d: DesiredOf<K>, o: ObjOf[K], changes: readonly Change[], view: KindView): Op[];
  remove(item: Item<K>, record: ObjectRecord | undefined, view: KindView): Op[];
  /** What the inventory keeps about a desired object (beyond its owner). */
  record?(d: DesiredOf<K>, o: ObjOf[K] | undefined, prev: ObjectRecord | undefined, view: KindView): ObjectRecord;
  /**
   * An owned object shared by what a partial destroy removes and what stays (the nftables table
   * of every routed interface): what remains of it once the objects in the plan are gone.
   * `undefined`: unchanged; `null`: nothing remains, delete it.
   */
  trim?(item: Item<K>, view: KindView): ObjOf[K] | null | undefined;
  /** Removing this one leaves what lives in it (a runtime's namespace is only un-named): those go first, one by one. */
  removalKeepsChildren?(item: Item<K>, record: ObjectRecord | undefined): boolean;
  /** Left alone by a partial destroy: what remains may still need it (host sysctls). */
  keepOnPartialDestroy?(item: Item<K>): boolean;
  /**
   * The object as desired again, from what a checkpoint observed (a rollback puts it back): the
   * fields a plan needs to make it exactly as it was, none of the kernel's own (indexes, flags).
   * Default: as observed. `undefined`: it cannot be made again as it was (a veth without its pair).
   */
  restore?(item: Item<K>, view: KindView): ObjOf[K] | undefined;
  describe(obj: ObjOf[K]): unknown;
  /** Words for plans. */
  reasons?: {
    create?(d: DesiredOf<K>): string;
    remove?(item: Item<K>, owner: Owner, view: KindView): string;
  };
}
