import { CtnetFailure, type CtnetError } from '../model/errors.js';
import type { DesiredState } from '../model/desired.js';
import type { Checkpoint, EngineConfig, Report, Rollback } from './types.js';
import type { Inventory } from '../model/inventory.js';
import type { Driver } from '../driver/types.js';
import { plan as makePlan } from '../plan/plan.js';
import type { Plan, PlanOptions } from '../plan/types.js';
import { restoreTarget, type RestoreTarget } from '../plan/checkpoint.js';
import { execute } from '../apply/execute.js';
import { verify } from '../verify/verify.js';
import { touchedNamespaces } from '../verify/touched.js';
import { observeRequestFor } from '../observe/observe.js';
import { observeIncrementally } from '../observe/incremental.js';
import { saveState } from '../state/store.js';
import { saveHolds, type SharedHost } from './shared-sysctls.js';
import { applyErrors } from './apply-errors.js';
import { putBackSysctls } from './put-back-sysctls.js';

export type { Checkpoint, Rollback };

/**
 * Puts the host back to a checkpoint with the one planner: the checkpoint as desired, the kernel
 * as observed now, and `now` (the inventory that names everything the run may have made, with
 * the originals to give back). Verified like an apply, then the checkpoint's inventory is the
 * state again. A rollback that does not finish keeps ownership of everything it may have left.
 */
export async function rollBack(
  driver: Driver,
  stateDir: string,
  cp: Checkpoint,
  now: Inventory,
  how: {
    readonly protectedInterfaces: readonly string[];
    readonly shared?: PlanOptions['shared'];
    /** Already worked out by the caller (`ctnet confirm` needs it first); else here. */
    readonly target?: RestoreTarget;
  },
  host?: SharedHost,
): Promise<Rollback> {
  // never adopting, never scoped: the checkpoint names everything owned then
  const opts: PlanOptions = { shared: how.shared };
  const target = how.target ?? restoreTarget(cp.observed, cp.inventory, how.protectedInterfaces);
  const desired = target.desired;
  const request = await observeRequestFor(driver, desired, now);
  const observed = (await observeIncrementally(driver, request, undefined)).observed;
  const p = asRevert(makePlan(desired, observed, now, opts));
  const res = await execute(driver, p.actions);
  // then what the run changed that no record names (an address's promote_secondaries)
  const back = await putBackSysctls(driver, cp.observed, [p.inventory, now]);
  const failed = [...applyErrors(res), ...back.errors];
  const missing = target.unrestorable.map((k) => ({
    code: 'apply' as const,
    message: `${k} cannot be made again as it was (its other end is not in the checkpoint)`,
  }));
  const first = { namespaces: [...touchedNamespaces(p.actions, observed)], previous: observed };
  const reobserve = async (only: Parameters<typeof observeIncrementally>[2]) =>
    (await observeIncrementally(driver, request, only)).observed;
  const left = failed.length ? failed : (await verify(reobserve, first, desired, p.inventory, opts)).errors;
  const errors = [...left, ...missing];
  // back as it was: the checkpoint's records; otherwise every record that may still name something
  const inventory = errors.length
    ? { ...p.inventory, objects: { ...p.inventory.objects, ...now.objects } }
    : cp.inventory;
  const commands = res.commands + back.commands;
  return { plan: p, commands, errors: [...errors, ...saved(stateDir, inventory, cp, host)] };
}

function saved(stateDir: string, inventory: Inventory, cp: Checkpoint, host?: SharedHost): CtnetError[] {
  try {
    saveState(stateDir, inventory);
    saveHolds(host, inventory, cp.observed);
    return [];
  } catch (e) {
    if (e instanceof CtnetFailure) return [...e.errors];
    return [{ code: 'state', message: `the state after the rollback was not written: ${(e as Error).message}` }];
  }
}

/** What `--atomic` needs from the run that failed: its driver, its checkpoint, and what it meant to own. */
export interface Undo {
  readonly driver: Driver;
  readonly checkpoint: Checkpoint;
  readonly intended: Inventory;
  readonly desired: DesiredState;
  readonly shared?: PlanOptions['shared'];
  readonly host?: SharedHost;
}

/** A failed run's report after its rollback: the run's errors first, the rollback beside them. */
export async function undone(
  req: EngineConfig,
  u: Undo,
  errors: readonly CtnetError[],
  base: Omit<Report, 'outcome' | 'errors'>,
): Promise<Report> {
  const how = { protectedInterfaces: u.desired.protectedInterfaces, shared: u.shared };
  try {
    const rollback = await rollBack(u.driver, req.stateDir, u.checkpoint, u.intended, how, u.host);
    return { ...base, outcome: 'failed', errors, rollback };
  } catch (e) {
    const why = e instanceof CtnetFailure ? e.errors.map((x) => x.message).join('; ') : (e as Error).message;
    const stopped: CtnetError = { code: 'apply', message: `the rollback could not run: ${why}` };
    return { ...base, outcome: 'failed', errors, rollback: { commands: 0, errors: [stopped] } };
  }
}

/**
 * A revert's reasons speak of the run it undoes, not of manifests: what the planner says of an
 * object that left them ("no longer in the manifests") is not why a rollback deletes it. Changes
 * in place keep their own reason (the values, from → to); a sysctl's deletion is its restore.
 */
function asRevert(p: Plan): Plan {
  const why = (a: Plan['actions'][number]): string =>
    a.action === 'delete' && a.type !== 'sysctl'
      ? 'rollback: the run being undone made it'
      : a.action === 'create'
        ? 'rollback: the run being undone removed it'
        : `rollback: ${a.reason}`;
  return { ...p, actions: p.actions.map((a) => ({ ...a, reason: why(a) })) };
}
