import type { ObjectKey, ObjectKind } from '../model/keys.js';
import type { Inventory } from '../model/inventory.js';
import type { NsRef } from '../model/kernel.js';
import type { Op } from '../model/ops.js';
import type { SharedSysctls } from '../model/shared.js';

export type ActionKind = 'create' | 'update' | 'replace' | 'delete';

/**
 * One change to one kernel object: closed data. `ops` are typed operations any driver executes;
 * `deps` name the actions (by id) that must succeed first. The reason is for people, never used
 * in decisions.
 */
export interface Action {
  /** The object's key id: unique in a plan. */
  readonly id: string;
  readonly action: ActionKind;
  readonly key: ObjectKey;
  readonly type: ObjectKind;
  /** Namespace the object lives in; `null` for the host (a netns: its own name). */
  readonly netns: NsRef;
  readonly object: string;
  readonly owner?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason: string;
  readonly disruptive: boolean;
  readonly ops: readonly Op[];
  readonly deps: readonly string[];
}

/** A manifest-level problem the kernel's state reveals: apply must not start. */
export interface Conflict {
  readonly owner?: string;
  readonly field?: string;
  readonly message: string;
}

export interface Plan {
  readonly actions: readonly Action[];
  readonly conflicts: readonly Conflict[];
  /** The inventory as it will be once every action has run. */
  readonly inventory: Inventory;
}

export interface PlanOptions {
  /** Take over foreign objects that are in the way instead of rejecting the manifests. */
  readonly adopt?: boolean;
  /**
   * Limit deletions to objects owned by these manifest objects (`destroy PATH`: `container/ct1`,
   * `network/lan`); without it, everything owned that left the manifests is pruned.
   */
  readonly scope?: ReadonlySet<string>;
  /** The inventory was migrated from version 1: marks without an instance are this instance's. */
  readonly legacyMarks?: boolean;
  /** Host sysctls other instances on this host hold too (engine/shared-sysctls.ts). */
  readonly shared?: SharedSysctls;
  /**
   * Plan only the host and these named namespaces (watch, after an observation that read only them): every other
   * one is as the last plan that changed nothing saw it, and its owners ask for what they asked then. Their records
   * are carried over; a plan whose actions reach past these namespaces is made again whole (plan/within.ts).
   */
  readonly within?: ReadonlySet<string>;
}
