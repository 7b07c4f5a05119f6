import { readFileSync } from 'node:fs';
import type { CtnetError } from '../model/errors.js';
import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { ctnetVersion } from '../model/version.js';
import { priorChanges, priorOf, type Prior } from '../plan/prior.js';
import type { Plan } from '../plan/types.js';
import { instanceOf } from '../state/store.js';

/**
 * `plan --out FILE`: the plan as data, with what it was made from (the manifests' digest and
 * files, the prior state of every object it read, the inventory's digest), so that `apply FILE`
 * runs exactly it, or refuses when any of that changed. Versioned JSON.
 */
export interface SavedPlan {
  readonly formatVersion: 1;
  readonly kind: 'ctnet-plan';
  readonly ctnetVersion: string;
  readonly createdAt: string;
  /** The instance (state dir) and the namespace playing the host it was made for. */
  readonly instance: string;
  readonly hostNetns: string | null;
  readonly options: { readonly adopt: boolean; readonly allowEmpty: boolean };
  readonly manifests: { readonly digest: string; readonly files: readonly string[] };
  readonly prior: Prior;
  readonly plan: Plan;
}

/** What a plan run gives `plan --out`: the rest comes from the request. */
export interface PlanBasis {
  readonly prior: Prior;
  readonly manifests: SavedPlan['manifests'];
}

export function savedPlan(
  c: { stateDir: string; hostNetns: string | null; adopt?: boolean; allowEmpty?: boolean },
  basis: PlanBasis,
  plan: Plan,
): SavedPlan {
  return {
    formatVersion: 1,
    kind: 'ctnet-plan',
    ctnetVersion: ctnetVersion(),
    createdAt: new Date().toISOString(),
    instance: instanceOf(c.stateDir),
    hostNetns: c.hostNetns,
    options: { adopt: !!c.adopt, allowEmpty: !!c.allowEmpty },
    manifests: basis.manifests,
    prior: basis.prior,
    plan,
  };
}

/** A file that is a saved plan (JSON, kind ctnet-plan), or undefined: `apply FILE` tells the two apart so. */
export function readSavedPlan(file: string): SavedPlan | CtnetError | undefined {
  let doc: Partial<SavedPlan>;
  try {
    const text = readFileSync(file, 'utf8');
    if (!text.trimStart().startsWith('{')) return undefined;
    doc = JSON.parse(text) as Partial<SavedPlan>;
  } catch {
    return undefined;
  }
  if (doc.kind !== 'ctnet-plan') return undefined;
  if (doc.formatVersion !== 1 || !doc.plan || !doc.prior || !doc.manifests)
    return {
      code: 'invalid',
      file,
      line: 1,
      column: 1,
      message: 'a ctnet plan of another format (formatVersion 1 expected)',
    };
  return doc as SavedPlan;
}

const stale = (message: string): CtnetError => ({ code: 'conflict', message });

/**
 * Why a saved plan may not run here and now: another instance or host, another ctnet, other
 * manifests, a kernel or inventory that changed since (each object named), or a plan that would
 * come out differently. Empty: the plan is still what planning now would give.
 */
export function staleness(
  s: SavedPlan,
  now: {
    stateDir: string;
    hostNetns: string | null;
    digest: string;
    observed: ObservedState;
    inventory: Inventory;
    desired: DesiredState;
  },
  fresh: Plan,
): CtnetError[] {
  if (s.instance !== instanceOf(now.stateDir) || s.hostNetns !== now.hostNetns)
    return [stale(`this plan was made for another instance or host (host netns ${s.hostNetns ?? 'the real host'})`)];
  if (s.ctnetVersion !== ctnetVersion())
    return [stale(`this plan was made by ctnet ${s.ctnetVersion}, this is ${ctnetVersion()}: plan again`)];
  const changes = priorChanges(s.prior, priorOf(now.observed, now.inventory, now.desired));
  if (s.manifests.digest !== now.digest) changes.unshift(`the manifests changed (${s.manifests.files.join(', ')})`);
  if (changes.length) {
    const shown = changes.length > 20 ? [...changes.slice(0, 20), `and ${changes.length - 20} more`] : changes;
    return [stale(`the host changed since this plan was made: ${shown.join('; ')}; plan again`)];
  }
  if (JSON.stringify(fresh.actions) !== JSON.stringify(s.plan.actions))
    return [stale('planning now gives another plan than the one saved, though nothing it read changed: plan again')];
  return [];
}
