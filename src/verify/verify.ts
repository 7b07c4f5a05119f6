import type { DesiredState } from '../model/desired.js';
import type { CtnetError } from '../model/errors.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { plan } from '../plan/plan.js';
import type { Action, PlanOptions } from '../plan/types.js';

const WAIT_MS = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * After apply: observe again and plan; the plan must be empty. The kernel finishes deleting a
 * namespace (and the host ends of its veths) asynchronously, so deletions still pending are
 * waited for briefly; anything else left over is a change that did not hold. `observe` reads the
 * kernel for (desired, inventory): the engine reads again only what the run touched.
 */
export async function verify(observe: () => Promise<ObservedState>, desired: DesiredState, inventory: Inventory, opts: PlanOptions, ignore: ReadonlySet<string> = new Set()): Promise<CtnetError[]> {
  const deadline = Date.now() + WAIT_MS;
  let left: readonly Action[] = [];
  for (let attempt = 0; ; attempt++) {
    const observed = await observe();
    left = plan(desired, observed, inventory, opts).actions.filter((a) => !ignore.has(a.id));
    if (left.length === 0) return [];
    const teardown = left.every((a) => a.action === 'delete');
    if ((!teardown && attempt >= 1) || Date.now() > deadline) break;
    await sleep(50 * Math.min(attempt + 1, 4));
  }
  return left.map((a) => ({ code: 'verify', message: `did not converge: ${a.action} ${a.object}${a.netns && a.type !== 'netns' ? ` in netns ${a.netns}` : ''} (${a.reason})` }));
}
