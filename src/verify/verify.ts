import type { DesiredState } from '../model/desired.js';
import type { CtnetError } from '../model/errors.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import type { ObserveOnly } from '../observe/incremental.js';
import { plan } from '../plan/plan.js';
import type { Action, PlanOptions } from '../plan/types.js';

const WAIT_MS = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Reads the kernel for (desired, inventory): everything, or with `only`, just those namespaces again (and the host).
 */
export type Reobserve = (only: ObserveOnly | undefined) => Promise<ObservedState>;

/**
 * After apply: observe again and plan; the plan must be empty. The kernel finishes deleting a
 * namespace (and the host ends of its veths) asynchronously, so deletions still pending are
 * waited for briefly; anything else left over is a change that did not hold.
 *
 * The first look reads `first` (the engine: the namespaces the run touched) or everything. A
 * retry reads again only the host and the namespaces where deletions are pending: the others
 * matched already, and the teardown being waited for holds RTNL, so reading all of them again
 * (300 namespaces kept beside 700 pruned) would queue each dump behind it.
 */
export async function verify(
  observe: Reobserve,
  first: ObserveOnly | undefined,
  desired: DesiredState,
  inventory: Inventory,
  opts: PlanOptions,
  ignore: ReadonlySet<string> = new Set(),
): Promise<Verified> {
  const deadline = Date.now() + WAIT_MS;
  let left: readonly Action[] = [];
  let previous: ObservedState | undefined;
  for (let attempt = 0; ; attempt++) {
    previous = await observe(previous ? { namespaces: pendingIn(left), previous } : first);
    left = plan(desired, previous, inventory, opts).actions.filter((a) => !ignore.has(a.id));
    if (left.length === 0) return { errors: [], observed: previous };
    const teardown = left.every((a) => a.action === 'delete');
    if ((!teardown && attempt >= 1) || Date.now() > deadline) break;
    await sleep(50 * Math.min(attempt + 1, 4));
  }
  return { errors: notConverged(left), observed: previous };
}

export interface Verified {
  /** What did not converge, each said; empty when the kernel matches. */
  readonly errors: CtnetError[];
  /** The kernel as verification last read it. */
  readonly observed: ObservedState;
}

function notConverged(left: readonly Action[]): CtnetError[] {
  return left.map((a) => ({
    code: 'verify',
    message: `did not converge: ${a.action} ${a.object}${a.netns && a.type !== 'netns' ? ` in netns ${a.netns}` : ''} (${a.reason})`,
  }));
}

/** The named namespaces the pending actions are in (a namespace's own deletion: itself). */
function pendingIn(left: readonly Action[]): string[] {
  return [...new Set(left.flatMap((a) => (a.netns === null ? [] : [a.netns])))].sort();
}
