import { resolve } from 'node:path';
import { emptyDesired, type DesiredState } from '../model/desired.js';
import { CtnetFailure, type CtnetError } from '../model/errors.js';
import { stateFailure } from './state-failure.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { plan as makePlan } from '../plan/plan.js';
import type { Plan, PlanOptions } from '../plan/types.js';
import { execute } from '../apply/execute.js';
import { applyErrors } from './apply-errors.js';
import { claimed } from './claimed.js';
import { undone } from './rollback.js';
import { staleness, type PlanBasis } from './saved-plan.js';
import { priorOf } from '../plan/prior.js';
import { awaitConfirmation, pendingGate, pendingNotice } from './confirm.js';
import { verify, type Reobserve } from '../verify/verify.js';
import { touchedNamespaces } from '../verify/touched.js';
import { observeRequestFor } from '../observe/observe.js';
import { observeIncrementally } from '../observe/incremental.js';
import { acquireLock } from '../state/lock.js';
import { instanceOf, recordsAlready, saveState } from '../state/store.js';
import { openSharedHost, ownHolds, saveHolds, sharedView, type SharedHost } from './shared-sysctls.js';
import { digestOf, loadDesiredCached, ownersOf, type Loaded } from './load.js';
import { allRefusals, conflictErrors } from './positions.js';
import { allocated } from './allocations.js';
import { driverOf, look } from './session.js';
import type { ReconcileRequest, Report } from './types.js';
import { resolveOverrides, stampIdentities } from './overrides.js';
import { annotateOverrides } from './override-reasons.js';

const rejected = (
  req: ReconcileRequest,
  errors: readonly CtnetError[],
  notices: readonly string[] = [],
  plan?: Plan,
): Report => ({ outcome: 'rejected', errors, notices, plan, commands: 0, hostNetns: req.hostNetns });

/**
 * The engine: load → validate → desired → observe → plan → (apply → verify). `plan`, `apply`,
 * `destroy` and `watch` all come through here. It never prints and never exits: the report says
 * what happened.
 */
export async function reconcile(req: ReconcileRequest): Promise<Report> {
  try {
    return await reconciling(req);
  } catch (e) {
    return stateFailure(e, req.hostNetns);
  }
}

async function reconciling(req: ReconcileRequest): Promise<Report> {
  let loaded: Loaded | undefined = req.loaded;
  if (!loaded && (req.mode !== 'destroy' || req.paths.length)) {
    // plan changes nothing on disk, the parse cache included: it reads it, apply and watch write it
    const r = await loadDesiredCached(req.stateDir, req.paths, {
      partial: req.mode === 'destroy',
      allowEmpty: req.allowEmpty || req.mode === 'destroy',
      readOnly: req.mode === 'plan',
      node: req.node,
    });
    if (!r.ok) return rejected(req, r.errors);
    loaded = r.value;
  }
  const desired = req.mode === 'destroy' || !loaded ? emptyDesired() : loaded.desired;
  const opts: PlanOptions = {
    adopt: req.adopt,
    scope: req.mode === 'destroy' && loaded ? ownersOf(loaded.set) : undefined,
  };
  if (req.mode === 'plan' && req.snapshot) {
    const s = req.snapshot;
    // version 2 only: readSnapshot refuses any other, and `ctnet snapshot` writes no other
    const inventory = s.inventory;
    const o = loaded ? resolveOverrides(loaded, inventory, s.observed, req.edit, true) : undefined;
    if (o?.errors.length) return rejected(req, o.errors, o.notices);
    const a = allocated(o?.loaded, o?.loaded.desired ?? desired, s.observed, inventory);
    const p = annotateOverrides(makePlan(a.desired, s.observed, inventory, opts), o?.views ?? []);
    if (a.errors.length) return rejected(req, allRefusals(a.errors, o?.loaded.set, p.conflicts));
    const basis = basisOf(req, o?.loaded, s.observed, inventory, a.desired);
    const inputs = { observed: s.observed, desired: a.desired, inventory };
    return {
      ...finishPlan({ ...req, hostNetns: s.hostNetns }, o?.loaded, p, o?.notices ?? [], inputs),
      overrides: o?.views,
      basis,
    };
  }
  const locking = req.mode !== 'plan' && !req.lockHeld;
  const lock = locking ? await acquireLock(req.stateDir, req.waitSeconds ?? 0) : undefined;
  if (lock && !lock.ok)
    return {
      outcome: 'rejected',
      errors: [lockError(req.stateDir, lock.holder)],
      notices: [],
      commands: 0,
      hostNetns: req.hostNetns,
    };
  try {
    // before the host registry is locked: an expired confirmation's revert takes it too
    const gate = await confirmationGate(req);
    if (gate.errors.length) return rejected(req, gate.errors, gate.notices);
    const host = await openSharedHost(req, instanceOf(req.stateDir), desired);
    if (host && 'code' in host) return rejected(req, [host]);
    try {
      const r = await run(req, loaded, desired, opts, host);
      return gate.notices.length ? { ...r, notices: [...gate.notices, ...r.notices] } : r;
    } finally {
      host?.release();
    }
  } finally {
    if (lock?.ok) lock.release();
  }
}

/** A confirmation pending or expired: refuses or reverts before a change, is said by a plan. */
async function confirmationGate(req: ReconcileRequest): Promise<{ errors: CtnetError[]; notices: string[] }> {
  if (req.mode !== 'plan' && !req.dryRun) return pendingGate(req);
  const expired = pendingNotice(req);
  return { errors: [], notices: expired ? [expired] : [] };
}

async function run(
  req: ReconcileRequest,
  files: Loaded | undefined,
  manifestDesired: DesiredState,
  opts: PlanOptions,
  host?: SharedHost,
): Promise<Report> {
  const only = req.mode === 'apply' ? req.observeOnly : undefined;
  // --atomic reads the namespaces it will delete whole as well: they are in the checkpoint, which
  // a rollback makes them again from (their veth ends, addresses, routes, sysctls)
  const scope = req.atomic ? { checkpoint: true } : { forPlan: { scope: opts.scope } };
  const access = req.mode === 'plan' ? 'read-only' : 'locked';
  req.onProgress?.({ phase: 'observe', done: 0, total: 0 });
  const looked = await observing(() => look(req, manifestDesired, access, scope, only, ownHolds(host)));
  if ('errors' in looked)
    return { outcome: 'failed', errors: looked.errors, notices: [], commands: 0, hostNetns: req.hostNetns };
  // desired = manifests + runtime overrides (`ctnet set`), checked like manifests
  const o =
    files && req.mode !== 'destroy' ? resolveOverrides(files, looked.inventory, looked.observed, req.edit) : undefined;
  if (o?.errors.length) return rejected(req, o.errors, [...looked.notices, ...o.notices]);
  const view = o
    ? { ...looked, inventory: o.inventory, notices: [...looked.notices, ...o.notices] }
    : { ...looked, inventory: withoutDestroyed(req, looked.inventory, opts) };
  const loaded = o?.loaded ?? files;
  const alloc = allocated(
    req.mode === 'destroy' ? undefined : loaded,
    o?.loaded.desired ?? manifestDesired,
    view.observed,
    view.inventory,
  );
  const desired = alloc.desired;
  req.onProgress?.({ phase: 'plan', done: 0, total: 0 });
  // watch, after an observation that read only some namespaces: only they (and the host) are planned
  const shared = { ...opts, shared: sharedView(host, view.observed), ...(view.within ? { within: view.within } : {}) };
  const planned = makePlan(desired, view.observed, view.inventory, { ...shared, legacyMarks: view.state.migrated });
  const fresh = annotateOverrides(planned, o?.views ?? []);
  const base = {
    notices: view.notices,
    hostNetns: req.hostNetns,
    overrides: o?.views,
    observed: view.observed,
    observedNamespaces: view.observedNamespaces,
  };
  // the allocation step's refusals and the planner's, all at once (the plan of a refused allocation is not shown)
  if (alloc.errors.length) return rejected(req, allRefusals(alloc.errors, loaded?.set, fresh.conflicts), view.notices);
  if (fresh.conflicts.length)
    return {
      ...base,
      outcome: 'rejected',
      plan: fresh,
      errors: conflictErrors(loaded?.set, fresh.conflicts),
      commands: 0,
    };
  if (req.mode === 'plan') {
    const basis = basisOf(req, loaded, view.observed, view.inventory, desired);
    const inputs = { observed: view.observed, desired, inventory: view.inventory };
    return { ...finishPlan(req, loaded, fresh, view.notices, inputs), overrides: o?.views, basis };
  }
  // `apply FILE`: the saved plan runs only while planning now gives exactly it
  const stale = req.saved
    ? staleness(req.saved, { ...req, ...view, desired, digest: digestOf(loaded!.set) }, fresh)
    : [];
  if (stale.length) return { ...base, outcome: 'rejected', plan: fresh, errors: stale, commands: 0 };
  const p = req.saved?.plan ?? fresh;
  const inside = p.actions.some((a) => a.type === 'netns' && a.action !== 'delete')
    ? view.observed.ownNetns
    : undefined;
  if (inside) {
    return rejected(
      req,
      [
        {
          code: 'conflict',
          message: `ctnet runs inside network namespace "${inside}" (ip netns exec?): namespaces it created would vanish with this process; run it outside and use --host-netns ${inside}`,
        },
      ],
      view.notices,
      p,
    );
  }
  if (req.dryRun) return { ...base, outcome: 'dry-run', plan: p, errors: [], commands: 0 };
  const stamp = (inv: Inventory): Inventory => stampIdentities(stampApplied(req, files, inv));
  if (p.actions.length === 0) {
    // nothing to run, but a rebuilt inventory and newly applied manifests are recorded; a file that records them
    // already (all but the time) is left as it is: `watch` runs after kernel events, and rewrote it, fsync and all,
    // at each of them
    const next = stamp(p.inventory);
    const unsaved = record(
      req,
      next,
      'the kernel needed no change',
      () => saveHolds(host, p.inventory, view.observed),
      recordsAlready(req.stateDir, next),
    );
    return { ...base, outcome: unsaved.length ? 'failed' : 'no-changes', plan: p, errors: unsaved, commands: 0 };
  }
  // the intent first: a crash at any later point still knows what it may have made, and a state
  // dir that cannot record it (full, read-only) stops the run before any change
  const intended = intent(view.inventory, p.inventory);
  const unrecorded = record(req, intended, 'nothing was changed', () => saveHolds(host, intended, view.observed));
  if (unrecorded.length) return { ...base, outcome: 'failed', plan: p, errors: unrecorded, commands: 0 };
  const held = heldActions(p, req.hold);
  const driver = driverOf(req);
  const checkpoint = { observed: view.observed, inventory: looked.inventory };
  const atomic = req.atomic || req.confirmSeconds !== undefined;
  // --atomic: the host goes back to the checkpoint on any failure, with this run's driver
  const undo = (errors: readonly CtnetError[], commands: number, owned = intended) =>
    undone(req, { driver, checkpoint, intended: owned, desired, shared: shared.shared, host }, errors, {
      ...base,
      plan: p,
      commands,
    });
  const res = await execute(
    driver,
    p.actions.filter((a) => !held.has(a.id)),
    req.onProgress,
  );
  const errors = applyErrors(res);
  // what the failed run may have made: not what it never started making (a foreign link may be there)
  const owned = errors.length ? claimed(intended, view.inventory, res) : intended;
  if (errors.length && atomic) return undo(errors, res.commands, owned);
  const heldList = held.size ? { held: [...held].sort() } : {};
  if (errors.length) {
    const unsaved =
      owned === intended ? [] : record(req, owned, 'the run failed', () => saveHolds(host, owned, view.observed));
    return {
      ...base,
      outcome: 'failed',
      plan: p,
      errors: [...errors, ...unsaved],
      commands: res.commands,
      ...heldList,
    };
  }
  const made = 'the changes were made; the intent recorded before them names them';
  const unsaved = record(req, stamp(p.inventory), made, () => saveHolds(host, p.inventory, view.observed));
  if (unsaved.length && atomic) return undo(unsaved, res.commands);
  if (unsaved.length)
    return { ...base, outcome: 'failed', plan: p, errors: unsaved, commands: res.commands, ...heldList };
  const ran = p.actions.filter((a) => !held.has(a.id));
  const first = { namespaces: [...touchedNamespaces(ran, view.observed)], previous: view.observed };
  req.onProgress?.({ phase: 'verify', done: ran.length, total: ran.length });
  // verification plans the host and what the run touched (where it ran, a veth's peer, a namespace made or
  // deleted): every other namespace had nothing to do, is taken from the same observation, and would plan nothing
  const checked = { ...shared, within: new Set(first.namespaces) };
  const v = await verify(await reobserver(req, desired, p.inventory), first, desired, p.inventory, checked, held);
  const left = v.errors;
  if (left.length && atomic) return undo(left, res.commands);
  const confirming = req.confirmSeconds !== undefined && !left.length;
  const pending = confirming ? awaitConfirmation(req, req.confirmSeconds, checkpoint, p.inventory, desired) : undefined;
  if (Array.isArray(pending)) return undo(pending, res.commands);
  // the kernel as it is now, when it matches everything: a watch's next run may read only what changed since
  const verified = left.length || held.size ? {} : { verified: v.observed };
  return {
    ...(pending ? { pending } : {}),
    ...base,
    ...verified,
    outcome: left.length ? 'failed' : 'applied',
    plan: p,
    errors: left,
    commands: res.commands,
    ...heldList,
  };
}

/**
 * How verification reads the kernel after a run: the host always, and the namespaces it names
 * (at first those the run touched); every other namespace is as the plan's observation saw it,
 * its identity checked.
 */
async function reobserver(req: ReconcileRequest, desired: DesiredState, inventory: Inventory): Promise<Reobserve> {
  const driver = driverOf(req);
  const request = await observeRequestFor(driver, desired, inventory);
  return async (only) => (await observeIncrementally(driver, request, only)).observed;
}

/** The one wording of "someone else holds the lock", naming its pid when the lock file has it. */
export function lockError(stateDir: string, holder: number | undefined): CtnetError {
  const who = holder ? `another ctnet (pid ${holder})` : 'another ctnet';
  return { code: 'lock', message: `${who} holds the lock on ${stateDir}; use --wait [SECONDS] to wait for it` };
}

/** Writes the state (unless it is `recorded` already); a failure is an error that says where the run stands (`after`). */
function record(
  req: ReconcileRequest,
  inv: Inventory,
  after: string,
  alsoShared: () => void,
  recorded = false,
): CtnetError[] {
  try {
    if (!recorded) saveState(req.stateDir, inv);
  } catch (e) {
    if (!(e instanceof CtnetFailure)) throw e;
    return e.errors.map((x) => ({ ...x, message: `${x.message}: ${after}` }));
  }
  try {
    alsoShared();
    return [];
  } catch (e) {
    // the host registry's write names its file; the state file above is already written
    return [{ code: 'state', message: `${(e as Error).message}: ${after}` }];
  }
}

/** Union of what was owned and what will be: nothing made by this run is ever unowned. */
function intent(before: Inventory, after: Inventory): Inventory {
  return { ...after, objects: { ...after.objects, ...before.objects } };
}

/** Overrides end with their container: all of them on `destroy`, those it removes on `destroy PATH`. */
function withoutDestroyed(req: ReconcileRequest, inv: Inventory, opts: PlanOptions): Inventory {
  if (req.mode !== 'destroy' || !inv.overrides) return inv;
  const left = Object.entries(inv.overrides).filter(([name]) => opts.scope && !opts.scope.has(`container/${name}`));
  return { ...inv, overrides: left.length ? Object.fromEntries(left) : undefined };
}

function stampApplied(req: ReconcileRequest, loaded: Loaded | undefined, inv: Inventory): Inventory {
  if (req.mode === 'apply' && loaded) {
    return {
      ...inv,
      lastApplied: {
        digest: digestOf(loaded.set),
        at: new Date().toISOString(),
        files: loaded.set.files.map((f) => resolve(f)),
      },
    };
  }
  if (req.mode === 'destroy' && !req.paths.length) return { ...inv, lastApplied: undefined };
  return inv;
}

/** What a plan was made from, for the views that show more than its actions (`ctnet graph --plan`). */
interface PlanInputs {
  readonly observed: ObservedState;
  readonly desired: DesiredState;
  readonly inventory: Inventory;
}

function finishPlan(
  req: ReconcileRequest,
  loaded: Loaded | undefined,
  p: Plan,
  notices: readonly string[],
  { observed, desired, inventory }: PlanInputs,
): Report {
  const base = {
    plan: p,
    notices,
    commands: 0,
    hostNetns: req.hostNetns,
    observed,
    planned: { manifests: loaded?.set, desired, inventory },
  };
  if (p.conflicts.length) return { ...base, outcome: 'rejected', errors: conflictErrors(loaded?.set, p.conflicts) };
  return { ...base, outcome: 'planned', errors: [] };
}

async function observing<T>(fn: () => Promise<T>): Promise<T | { errors: readonly CtnetError[] }> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CtnetFailure) return { errors: e.errors };
    return { errors: [{ code: 'observe', message: (e as Error).message }] };
  }
}

/** The actions `hold` names, and every action that depends on one of them. */
function heldActions(p: Plan, hold: ReadonlySet<string> | undefined): Set<string> {
  const out = new Set<string>();
  if (!hold?.size) return out;
  for (const a of p.actions) if (hold.has(a.id) || a.deps.some((d) => out.has(d))) out.add(a.id);
  return out;
}

/** `plan --out`: what the plan was made from, for `apply FILE` to check. */
function basisOf(
  req: ReconcileRequest,
  loaded: Loaded | undefined,
  observed: ObservedState,
  inventory: Inventory,
  desired: DesiredState,
): PlanBasis | undefined {
  if (!req.wantBasis) return undefined;
  const files = (loaded?.set.files ?? []).map((f) => resolve(f));
  return {
    prior: priorOf(observed, inventory, desired),
    manifests: { digest: loaded ? digestOf(loaded.set) : '', files },
  };
}
