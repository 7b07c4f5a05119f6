import { readFileSync } from 'node:fs';
import { CtnetFailure } from '../model/errors.js';
import type { ObservedState } from '../model/kernel.js';
import { plan as makePlan } from '../plan/plan.js';
import type { Inventory } from '../plan/types.js';
import { planToText } from '../plan/view-text.js';
import { planToJson } from '../plan/view-json.js';
import { planToScript } from '../plan/view-script.js';
import { conflictErrors, emptyDesired, loadDesired, look, makeDriver, type KernelView } from './session.js';
import { say, type GlobalOpts } from './output.js';

export interface PlanCliOpts {
  readonly detailedExitcode?: boolean;
  readonly snapshot?: string;
  readonly output?: string;
  readonly adopt?: boolean;
}

export interface Snapshot {
  readonly formatVersion: 1;
  readonly hostNetns: string | null;
  readonly observed: ObservedState;
  readonly inventory: Inventory;
}

function readSnapshot(file: string): KernelView & { hostNetns: string | null } {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    if (s.formatVersion !== 1 || !s.observed?.host) throw new Error('not a ctnet snapshot (formatVersion 1)');
    return { observed: s.observed, inventory: s.inventory, hostNetns: s.hostNetns };
  } catch (e) {
    throw new CtnetFailure([{ code: 'invalid', file, line: 1, column: 1, message: `cannot read snapshot: ${(e as Error).message}` }]);
  }
}

/** `plan PATH...`: the actions apply would run, against the kernel or offline against a snapshot. */
export async function cmdPlan(g: GlobalOpts, paths: readonly string[], o: PlanCliOpts): Promise<number> {
  const fmt = o.output ?? (g.json ? 'json' : 'text');
  if (!['text', 'json', 'script'].includes(fmt)) {
    throw new CtnetFailure([{ code: 'invalid', message: `-o must be text, json or script, not "${fmt}"` }]);
  }
  const { set, desired } = await loadDesired(paths);
  const snap = o.snapshot ? readSnapshot(o.snapshot) : undefined;
  const view = snap ?? (await look(makeDriver(g), g, desired));
  const hostNetns = snap ? snap.hostNetns : g.hostNetns;
  const p = makePlan(desired, view.observed, view.inventory, { adopt: o.adopt });
  if (p.conflicts.length) throw new CtnetFailure(conflictErrors(set, p.conflicts));
  if (fmt === 'json') say(g, JSON.stringify(planToJson(p.actions, hostNetns), null, 2) + '\n');
  else if (fmt === 'script') say(g, planToScript(p.actions, hostNetns));
  else say(g, planToText(p.actions, g.color));
  return o.detailedExitcode && p.actions.length > 0 ? 2 : 0;
}

export async function cmdSnapshot(g: GlobalOpts, paths: readonly string[]): Promise<number> {
  const desired = paths.length ? (await loadDesired(paths)).desired : emptyDesired();
  const view = await look(makeDriver(g), g, desired);
  const snap: Snapshot = { formatVersion: 1, hostNetns: g.hostNetns, observed: view.observed, inventory: view.inventory };
  process.stdout.write(JSON.stringify(snap, null, 2) + '\n');
  return 0;
}

export async function cmdValidate(g: GlobalOpts, paths: readonly string[]): Promise<number> {
  const { set } = await loadDesired(paths);
  const n = set.networks.length + set.containers.length + set.vms.length + set.hosts.length;
  if (g.json) say(g, JSON.stringify({ valid: true, files: set.files.length, objects: n }) + '\n');
  else say(g, `${set.files.length} files, ${n} objects: valid.\n`);
  return 0;
}
