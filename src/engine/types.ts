import type { CtnetError } from '../model/errors.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import type { Driver } from '../driver/types.js';
import type { DriverName } from '../driver/select.js';
import type { Plan } from '../plan/types.js';
import type { Loaded } from './load.js';
import type { AddressEdit } from './address-edit.js';
import type { OverrideView } from './overrides.js';
import type { ObserveOnly } from '../observe/incremental.js';
import type { PlanBasis, SavedPlan } from './saved-plan.js';
import type { DesiredState } from '../model/desired.js';
import type { ManifestSet } from '../manifest/types.js';
import type { OnProgress } from '../model/progress.js';

/** Where the engine works: the instance (state dir), the namespace playing the host, the driver. */
export interface EngineConfig {
  readonly stateDir: string;
  readonly hostNetns: string | null;
  /** A driver instance (tests); otherwise the one `driverName` names. */
  readonly driver?: Driver;
  /** `--driver`: netlink or iproute2 (default), with a fallback to iproute2 when netlink cannot load. */
  readonly driverName?: DriverName;
  /** Seconds to wait for another holder of the lock; 0 or absent: do not wait. */
  readonly waitSeconds?: number;
  /** This host's node: with Node manifests, only its slice is built. */
  readonly node?: string;
}

/** A saved observation: everything a plan reads, so `plan --snapshot` needs nothing else. */
export interface Snapshot {
  readonly formatVersion: 1;
  readonly hostNetns: string | null;
  readonly observed: ObservedState;
  readonly inventory: Inventory;
}

export interface ReconcileRequest extends EngineConfig {
  readonly mode: 'plan' | 'apply' | 'destroy';
  /** Manifest files or directories; for destroy, an empty list means everything owned. */
  readonly paths: readonly string[];
  readonly dryRun?: boolean;
  readonly adopt?: boolean;
  /** An empty manifest set may delete everything. */
  readonly allowEmpty?: boolean;
  /** Plan offline against this observation. */
  readonly snapshot?: Snapshot;
  /**
   * The caller holds the instance lock for its whole life (`watch`): reconcile must not take it
   * again (a second flock on a new descriptor would wait for ourselves).
   */
  readonly lockHeld?: boolean;
  /**
   * An already loaded and validated desired state, used instead of loading `paths` (`watch`
   * reconciles its last good state while the files on disk are invalid). `paths` still name
   * where it came from.
   */
  readonly loaded?: Loaded;
  /** Action ids not to run this time (objects contested by someone else, `watch`), nor what depends on them. */
  readonly hold?: ReadonlySet<string>;
  /** `ctnet set` without `--save`: change the container's runtime override in this run (mode apply). */
  readonly edit?: AddressEdit;
  /**
   * `watch` after kernel events: observe the host and these namespaces, take the others from
   * `previous` (a verified-current observation). Ignored when the state file is lost or corrupt.
   */
  readonly observeOnly?: ObserveOnly;
  /** `--atomic`: on any failure, or a kernel that does not verify, put the host back as it was before the run. */
  readonly atomic?: boolean;
  /**
   * `--confirm SECONDS`: atomic, and once applied and verified the checkpoint is kept in the state
   * dir; without `ctnet confirm` within SECONDS the host goes back to it (engine/confirm.ts).
   */
  readonly confirmSeconds?: number;
  /** Files the change edited (`set --save`), with their text before: a revert writes them back. */
  readonly revertFiles?: readonly { readonly path: string; readonly text: string }[];
  /** `plan --out`: the report carries what the plan was made from (`basis`). */
  readonly wantBasis?: boolean;
  /** `apply FILE`: run this saved plan, if planning now gives exactly it (engine/saved-plan.ts). */
  readonly saved?: SavedPlan;
  /** Told the phase and, while applying, done/total actions after each step; keep it cheap. */
  readonly onProgress?: OnProgress;
}

export type Outcome = 'applied' | 'no-changes' | 'dry-run' | 'planned' | 'failed' | 'rejected';

/** What a reconcile did. Errors are values: the caller decides how to show them. */
export interface Report {
  readonly outcome: Outcome;
  readonly plan?: Plan;
  readonly errors: readonly CtnetError[];
  /** Things a person should know that are not errors (a corrupt state file set aside). */
  readonly notices: readonly string[];
  /** Kernel commands run. */
  readonly commands: number;
  /** Actions left alone on purpose (`hold`), with those that depend on them. */
  readonly held?: readonly string[];
  /** The namespace the plan's host objects live in, for rendering commands. */
  readonly hostNetns: string | null;
  /** Runtime overrides (`ctnet set`) in the desired state of this run. */
  readonly overrides?: readonly OverrideView[];
  /** What the plan was made against (before any change of this run), when the kernel was observed. */
  readonly observed?: ObservedState;
  /** Applied and verified, nothing held: the kernel as verification read it, matching the desired state. */
  readonly verified?: ObservedState;
  /** Namespaces read from the kernel for the plan, the host included. */
  readonly observedNamespaces?: number;
  /**
   * A plan's inputs besides `observed` (mode plan, planned or rejected by the planner): the
   * manifests, the desired state planned for (with overrides and allocations) and the inventory
   * it was planned with. For views that show more than the actions (`ctnet graph --plan`).
   */
  readonly planned?: {
    readonly manifests?: ManifestSet;
    readonly desired: DesiredState;
    readonly inventory: Inventory;
  };
  /** `--atomic` after a failure: how the host was put back (engine/rollback.ts). */
  readonly rollback?: Rollback;
  /** `--confirm`: the change now waiting for `ctnet confirm`, and until when. */
  readonly pending?: { readonly id: string; readonly deadline: string; readonly reverter?: string };
  /** `plan --out`: the prior state and the manifests the plan was made from. */
  readonly basis?: PlanBasis;
}

/** What a run can go back to: the kernel before it changed anything, and the inventory then. */
export interface Checkpoint {
  readonly observed: ObservedState;
  readonly inventory: Inventory;
}

/** A rollback as it went: its plan (the revert), and what is left when it did not finish. */
export interface Rollback {
  /** Absent when the rollback could not even be planned (the kernel could not be read). */
  readonly plan?: Plan;
  readonly commands: number;
  /** Empty when the host equals the checkpoint again; otherwise what is not back, each said. */
  readonly errors: readonly CtnetError[];
}
