import { resolve } from 'node:path';
import { CtnetFailure } from '../model/errors.js';
import { runsInsideNamedNetns } from '../driver/iproute2.js';
import { plan as makePlan } from '../plan/plan.js';
import { planToText } from '../plan/view-text.js';
import { planToJson } from '../plan/view-json.js';
import { commandCount } from '../apply/batches.js';
import { acquireLock, saveState } from '../state/store.js';
import { conflictErrors, digestOf, emptyDesired, loadDesired, look, makeDriver, ownersOf, type Loaded } from './session.js';
import { runPlan } from './converge.js';
import { say, type GlobalOpts } from './output.js';

export interface ApplyOpts {
  readonly dryRun?: boolean;
  readonly adopt?: boolean;
}

/** `apply PATH...` and `destroy [PATH...]`: load, lock, observe, plan, run, verify, record. */
export async function cmdApply(g: GlobalOpts, paths: readonly string[], o: ApplyOpts, destroy = false): Promise<number> {
  const loaded: Loaded | undefined = paths.length || !destroy ? await loadDesired(paths, destroy) : undefined;
  const desired = destroy ? emptyDesired() : loaded!.desired;
  const planOpts = { adopt: o.adopt, scope: destroy && loaded ? ownersOf(loaded.set) : undefined };
  const release = acquireLock(g.stateDir);
  if (!release) throw new CtnetFailure([{ code: 'lock', message: `another ctnet holds the lock in ${g.stateDir}` }]);
  try {
    const driver = makeDriver(g);
    const view = await look(driver, g, desired);
    const p = makePlan(desired, view.observed, view.inventory, planOpts);
    if (p.conflicts.length) throw new CtnetFailure(conflictErrors(loaded?.set, p.conflicts));
    const creates = p.actions.some((a) => a.type === 'netns' && a.action === 'create');
    const inside = creates ? runsInsideNamedNetns() : undefined;
    if (inside) {
      throw new CtnetFailure([{ code: 'conflict', message: `ctnet runs inside network namespace "${inside}" (ip netns exec?): namespaces it created would vanish with this process; run it outside and use --host-netns ${inside}` }]);
    }
    if (g.json) say(g, JSON.stringify(planToJson(p.actions, g.hostNetns), null, 2) + '\n');
    else say(g, planToText(p.actions, g.color));
    if (o.dryRun) return 0;
    // with nothing to do no command runs, but the inventory (maybe rebuilt) and lastApplied are recorded
    let inv = p.actions.length ? await runPlan(driver, g, desired, p, planOpts, view.inventory) : p.inventory;
    if (!destroy && loaded) inv = { ...inv, lastApplied: { digest: digestOf(loaded.set), at: new Date().toISOString(), files: loaded.set.files.map((f) => resolve(f)) } };
    if (destroy && !paths.length) inv = { ...inv, lastApplied: undefined };
    saveState(g.stateDir, inv);
    if (!g.json && p.actions.length) say(g, `${destroy ? 'Destroy' : 'Apply'} complete: ${p.actions.length} changes, ${commandCount(p.actions)} commands; verified.\n`);
    return 0;
  } finally {
    release();
  }
}
