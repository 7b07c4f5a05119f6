import type { DesiredOf, DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import { keyId, keyLabel, keyNetns, type ObjectKey } from '../model/keys.js';
import type { ObservedState } from '../model/kernel.js';
import { KIND_ORDER, KINDS, desiredOrder, keyOf } from '../kinds/registry.js';
import { describeChanges } from '../kinds/helpers.js';
import type { Item, Kind, KindDecl } from '../kinds/types.js';
import { PlanContext } from './context.js';
import { checkUses } from './check-uses.js';
import { checkNetnsPaths } from './check-netns-paths.js';
import { checkStillUsed } from './still-used.js';
import { orderActions, type Pending } from './order.js';
import { groupLinkDeletes } from './group-deletes.js';
import { netnsLast } from './netns-last.js';
import type { Plan, PlanOptions } from './types.js';
import { reachesPast, withUnplannedRecords } from './within.js';

/**
 * The planner: a pure, synchronous function of what the manifests want, what the kernel has and
 * what ctnet owns. It knows no kind of object: each kind's declaration (kinds/) says how its
 * objects are keyed, owned, compared, created, changed, replaced and deleted. Kinds are planned
 * in order because later ones read what earlier ones decided (a new link's addresses are new).
 */
export function plan(
  desired: DesiredState,
  observed: ObservedState,
  inventory: Inventory,
  options: PlanOptions = {},
): Plan {
  const within = options.within;
  if (!within) return planPass(desired, observed, inventory, options);
  const p = planPass(desired, observed, inventory, options);
  if (!reachesPast(p.actions, desired, within)) return p;
  const { within: _restricted, ...all } = options;
  return planPass(desired, observed, inventory, all);
}

function planPass(desired: DesiredState, observed: ObservedState, inventory: Inventory, options: PlanOptions): Plan {
  const ctx = new PlanContext(desired, observed, inventory, options);
  desired.conflicts.forEach((c) => ctx.conflict(c));
  checkUses(ctx);
  checkNetnsPaths(ctx);
  const pending: Pending[] = [];
  for (const kind of KIND_ORDER) planKind(ctx, KINDS[kind] as KindDecl<Kind>, pending);
  checkStillUsed(ctx);
  const actions = groupLinkDeletes(orderActions(netnsLast(pending)), observed);
  const records = options.within ? withUnplannedRecords(ctx.records, inventory, options.within) : ctx.records;
  const objects = Object.fromEntries([...records.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { actions, conflicts: ctx.conflicts, inventory: { ...inventory, version: 2, objects } };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function planKind(ctx: PlanContext, decl: KindDecl<Kind>, out: Pending[]): void {
  const observed = new Map(decl.observed(ctx).map((i) => [keyId(i.key), i]));
  // ids and ranks computed once, not in every comparison of the sort
  const desired = ctx.desiredOf(decl.kind).map((d) => {
    const key = keyOf(d);
    return { d, key, id: keyId(key), rank: desiredOrder(d) };
  });
  desired.sort((a, b) => a.rank - b.rank || cmp(a.id, b.id));
  const wanted = new Set(desired.map((x) => x.id));
  for (const { d, key, id } of desired) planDesired(ctx, decl, d, key, observed.get(id), out);
  const leftovers = [...observed]
    .filter(([id]) => !wanted.has(id))
    .map(([id, item]) => ({ id, item, host: item.ns === null ? 0 : 1 }));
  // host objects first: a container's veth end vanishes with its host end
  leftovers.sort((a, b) => a.host - b.host || cmp(a.id, b.id));
  for (const { item } of leftovers) planLeftover(ctx, decl, item, out);
}

function base(ctx: PlanContext, key: ObjectKey, owner: string | undefined) {
  return { id: keyId(key), key, type: key.kind, netns: keyNetns(key), object: keyLabel(key, ctx.instance), owner };
}

function planDesired(
  ctx: PlanContext,
  decl: KindDecl<Kind>,
  d: DesiredOf<Kind>,
  key: ObjectKey,
  item: Item<Kind> | undefined,
  out: Pending[],
): void {
  const id = keyId(key);
  const parents = decl.parents(d, ctx);
  const freshParent = parents.find((p) => ctx.isFresh(p));
  const deps = [...parents, ...(decl.needs?.(d, ctx) ?? [])];
  const rec = ctx.record(key);
  // an object on something this plan re-creates is gone with it; one elsewhere with the same key is not
  let o = item && !decl.observedParents(item, ctx).some((p) => ctx.isFresh(p)) ? item.obj : undefined;
  const implicit = !o ? decl.implicit?.(d, ctx) : undefined;
  o ??= implicit;
  if (!o) {
    const blocked = decl.blockedBy?.(d, ctx);
    if (blocked) return ctx.conflict({ owner: d.owner, field: d.field, message: blocked });
    ctx.records.set(id, decl.record?.(d, undefined, rec, ctx) ?? { owner: d.owner });
    const ops = decl.create(d, ctx);
    if (!ops.length) return;
    ctx.markFresh(id);
    const displaced = decl.displaces?.(d, ctx);
    const why = freshParent ? `on new ${keyLabel(freshParent)}` : (decl.reasons?.create?.(d) ?? 'missing');
    out.push({
      ...base(ctx, key, d.owner),
      action: 'create',
      after: decl.describe(d.obj),
      reason: displaced ? `${why}; ${displaced}` : why,
      disruptive: !!displaced,
      ops,
      deps,
    });
    return;
  }
  const owner = implicit ? d.owner : (rec?.owner ?? (item ? decl.markedOwner(item, ctx) : undefined));
  const foreign = !owner ? decl.foreign(d, o, ctx) : undefined;
  if (foreign && (!foreign.adoptable || !ctx.adopt)) {
    return ctx.conflict({ owner: d.owner, field: foreign.field ?? d.field, message: foreign.message });
  }
  const changes = decl.compare(d, o, ctx);
  ctx.records.set(id, decl.record?.(d, o, rec, ctx) ?? { owner: d.owner });
  if (implicit) ctx.markFresh(id);
  if (!changes.length && !foreign) return;
  const before = implicit ? undefined : decl.describe(o);
  const why = decl.replaceReason?.(d, o, changes, ctx);
  if (why && item) {
    ctx.markFresh(id);
    const ops = [...decl.remove(item, rec, ctx), ...decl.create(d, ctx)];
    out.push({
      ...base(ctx, key, d.owner),
      action: 'replace',
      before,
      after: decl.describe(d.obj),
      reason: why,
      disruptive: true,
      ops,
      deps,
    });
    return;
  }
  const ops = decl.update(d, o, changes, ctx);
  if (!ops.length && !foreign) return;
  const reason = implicit
    ? freshParent
      ? `comes with new ${keyLabel(freshParent)}`
      : 'set up'
    : foreign
      ? `adopted: ${foreign.message.replace(/ \(use --adopt.*\)$/, '')}`
      : describeChanges(changes);
  const disruptive =
    !implicit &&
    changes.some(
      (c) => (c.field === 'up' && c.to === false) || (c.field === 'master' && c.from !== null && c.from !== undefined),
    );
  out.push({
    ...base(ctx, key, d.owner),
    action: implicit ? 'create' : 'update',
    before,
    after: decl.describe(d.obj),
    reason,
    disruptive,
    ops,
    deps,
  });
}

function planLeftover(ctx: PlanContext, decl: KindDecl<Kind>, item: Item<Kind>, out: Pending[]): void {
  const id = keyId(item.key);
  const rec = ctx.record(item.key);
  const owner = rec?.owner ?? decl.markedOwner(item, ctx);
  if (!owner) return; // someone else's: never touched
  if (ctx.options.scope && !ctx.inScope(owner)) ctx.keptOutside.push({ decl, item, owner });
  if (decl.observedParents(item, ctx).some((p) => ctx.isGone(p) || ctx.isFresh(p))) return ctx.markGone(id);
  const rest = !ctx.inScope(owner) ? decl.trim?.(item, ctx) : undefined;
  if (rest === null) return deleteLeftover(ctx, decl, item, owner, out);
  if (!ctx.inScope(owner) || (ctx.options.scope && decl.keepOnPartialDestroy?.(item))) {
    ctx.records.set(id, rec ?? { owner });
    if (rest) trimLeftover(ctx, decl, item, owner, rest, out);
    return;
  }
  deleteLeftover(ctx, decl, item, owner, out);
}

function deleteLeftover(ctx: PlanContext, decl: KindDecl<Kind>, item: Item<Kind>, owner: string, out: Pending[]): void {
  const id = keyId(item.key);
  const rec = ctx.record(item.key);
  if (!decl.removalKeepsChildren?.(item, rec)) ctx.markGone(id, owner);
  const ops = decl.remove(item, rec, ctx);
  if (!ops.length) return;
  const reason = decl.reasons?.remove?.(item, owner, ctx) ?? `${owner} no longer asks for it`;
  out.push({
    ...base(ctx, item.key, owner),
    action: 'delete',
    before: decl.describe(item.obj),
    reason,
    disruptive: true,
    ops,
    deps: decl.deleteAfter?.(item, ctx) ?? [],
  });
}

/** A shared object that a partial destroy leaves with less in it: updated, not deleted. */
function trimLeftover(
  ctx: PlanContext,
  decl: KindDecl<Kind>,
  item: Item<Kind>,
  owner: string,
  rest: Item<Kind>['obj'],
  out: Pending[],
): void {
  const d = { kind: decl.kind, ns: item.ns, owner, obj: rest } as DesiredOf<Kind>;
  const changes = decl.compare(d, item.obj, ctx);
  const ops = decl.update(d, item.obj, changes, ctx);
  if (!ops.length) return;
  out.push({
    ...base(ctx, item.key, owner),
    action: 'update',
    before: decl.describe(item.obj),
    after: decl.describe(rest),
    reason: `what stays after this destroy: ${describeChanges(changes)}`,
    disruptive: false,
    ops,
    deps: [],
  });
}
