import type { DesiredNs, DesiredState } from '../model/desired.js';
import { emptyNs, ownerOfAlias, type NsObjects, type NsRef, type ObservedState } from '../model/kernel.js';
import type { Action, Conflict, Inventory } from './types.js';

export interface PlanOptions {
  /** Take over foreign objects that are in the way instead of rejecting the manifests. */
  readonly adopt?: boolean;
  /**
   * Limit deletions to objects owned by these manifest objects (`destroy PATH`: `container/ct1`,
   * `network/lan`); without it, everything owned that left the manifests is pruned.
   */
  readonly scope?: ReadonlySet<string>;
}

/** Shared, read-mostly state of one planning pass; diff steps append actions and conflicts. */
export class PlanContext {
  readonly actions: Action[] = [];
  readonly conflicts: Conflict[] = [];
  /** Namespaces created or deleted by this plan: their contents need no separate actions. */
  readonly createdNs = new Set<string>();
  readonly deletedNs = new Set<string>();
  /** Owners of deleted namespaces: host-side links they own vanish with the namespace. */
  readonly deletedOwners = new Set<string>();
  /** Links (per namespace key) that are created or replaced: their old addresses and routes are gone. */
  readonly freshLinks = new Set<string>();
  readonly deletedLinks = new Set<string>();
  readonly protectedIfs: ReadonlySet<string>;

  constructor(
    readonly desired: DesiredState,
    readonly observed: ObservedState,
    readonly inventory: Inventory,
    readonly options: PlanOptions,
  ) {
    const defaultDev = observed.host.routes.find((r) => r.dst === 'default' && r.family === 4)?.dev;
    this.protectedIfs = new Set([...desired.protectedInterfaces, ...(defaultDev ? [defaultDev] : [])]);
  }

  add(action: Action): void {
    this.actions.push(action);
  }

  conflict(c: Conflict): void {
    this.conflicts.push(c);
  }

  observedNs(ns: NsRef): NsObjects {
    if (ns === null) return this.observed.host;
    return this.createdNs.has(ns) ? emptyNs() : (this.observed.namespaces[ns] ?? emptyNs());
  }

  desiredNs(ns: NsRef): DesiredNs {
    if (ns === null) return this.desired.host;
    return this.desired.namespaces[ns] ?? { links: [], addresses: [], routes: [], neighbors: [], sysctls: [] };
  }

  /** Namespaces whose contents are diffed: the host and every desired one. */
  nsRefs(): NsRef[] {
    return [null, ...Object.keys(this.desired.namespaces).sort()];
  }

  /** A host link that vanishes with a namespace this plan deletes (the host end of its veth). */
  goesWithNs(ns: NsRef, dev: string): boolean {
    if (ns !== null) return false;
    const owner = ownerOfAlias(this.observed.host.links.find((l) => l.name === dev)?.alias);
    return !!owner && this.deletedOwners.has(owner);
  }

  /** The manifest object that owns a link, from its marker. */
  linkOwner(ns: NsRef, dev: string | undefined): string | undefined {
    return dev === undefined ? undefined : ownerOfAlias(this.observedNs(ns).links.find((l) => l.name === dev)?.alias);
  }

  /** Whether an owned object that left the manifests may be deleted in this run. */
  inScope(owner: string | undefined): boolean {
    const scope = this.options.scope;
    return !scope || (owner !== undefined && scope.has(owner));
  }
}

export const linkRef = (ns: NsRef, dev: string): string => `${ns ?? ''}\u0000${dev}`;
