import type { DesiredState } from '../model/desired.js';
import { CtnetFailure } from '../model/errors.js';
import type { Driver } from '../driver/types.js';
import { execute } from '../apply/execute.js';
import { plan as makePlan } from '../plan/plan.js';
import type { PlanOptions } from '../plan/context.js';
import type { Action, Inventory, Plan } from '../plan/types.js';
import { saveState } from '../state/store.js';
import { look } from './session.js';
import type { GlobalOpts } from './output.js';

const VERIFY_WAIT_MS = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Before running anything, record what the plan will own: a crash mid-way then still knows it. */
function intent(before: Inventory, after: Inventory): Inventory {
  return {
    ...after,
    namespaces: { ...before.namespaces, ...after.namespaces },
    sysctls: { ...after.sysctls, ...before.sysctls },
  };
}

/**
 * Runs a computed plan (never a re-computed one), then observes again until the plan is empty.
 * Namespace deletion is finished by the kernel asynchronously, so verification polls briefly.
 */
export async function runPlan(driver: Driver, g: GlobalOpts, desired: DesiredState, p: Plan, opts: PlanOptions, before: Inventory): Promise<Inventory> {
  saveState(g.stateDir, intent(before, p.inventory));
  const failures = await execute(driver, p.actions);
  if (failures.length) {
    throw new CtnetFailure(failures.map((f) => ({ code: 'apply', message: `${f.command}: ${f.message}` })));
  }
  saveState(g.stateDir, p.inventory);
  const deadline = Date.now() + VERIFY_WAIT_MS;
  let left: readonly Action[] = [];
  for (let attempt = 0; ; attempt++) {
    const view = await look(driver, g, desired);
    left = makePlan(desired, view.observed, p.inventory, opts).actions;
    if (left.length === 0) return p.inventory;
    // only leftovers of the kernel's asynchronous namespace teardown are worth waiting for
    const teardown = left.every((a) => a.action === 'delete');
    if ((!teardown && attempt >= 1) || Date.now() > deadline) break;
    await sleep(50 * Math.min(attempt + 1, 4));
  }
  throw new CtnetFailure(
    left.map((a) => ({ code: 'verify', message: `did not converge: ${a.action} ${a.object}${a.netns ? ` in netns ${a.netns}` : ''} (${a.reason})` })),
  );
}
