import type { DesiredState } from '../model/desired.js';
import type { CtnetError } from '../model/errors.js';
import { recordedNetns, recordsOfKind, type Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { allocate } from '../desired/allocate.js';
import { buildDesired } from '../desired/build.js';
import type { Loaded } from './load.js';
import { conflictErrors } from './positions.js';
import { heldByHost } from './host-held.js';
import { sysctlScopeErrors } from './sysctl-scope.js';

/** The inventory's allocations: `container/ct1/eth0` → its addresses. */
export function recordedAllocations(inv: Inventory): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const [id, r] of recordsOfKind(inv, 'allocation'))
    if (r.allocated) out[id.slice('allocation '.length)] = r.allocated;
  return out;
}

/**
 * The desired state once addresses are allocated and the kernel's capabilities are known:
 * allocation needs the observed kernel (what is in use) and the inventory (what was handed out),
 * so it runs between observe and plan. An
 * exhausted pool, an explicit address another interface holds by allocation, or one the host
 * holds is a rejection before any change.
 */
export function allocated(
  loaded: Loaded | undefined,
  desired: DesiredState,
  observed: ObservedState,
  inventory: Inventory,
): { desired: DesiredState; errors: CtnetError[] } {
  if (!loaded) return { desired, errors: [] };
  const perNs = observed.capabilities?.netnsSysctls;
  const scope = perNs ? sysctlScopeErrors(loaded.set, perNs) : [];
  const r = allocate(
    loaded.set,
    observed,
    recordedAllocations(inventory),
    new Set(Object.keys(recordedNetns(inventory))),
  );
  const problems = [...r.problems, ...heldByHost(loaded.set, desired, observed, inventory)];
  // every refusal of this step at once: keys no namespace keeps, and addresses held elsewhere
  if (scope.length || problems.length) return { desired, errors: [...scope, ...conflictErrors(loaded.set, problems)] };
  // what the kernel can make decides how some objects are built (a loopback network's interface)
  const caps = observed.capabilities;
  const rebuild = r.allocations.length || (caps?.dummy && loaded.set.networks.some((n) => n.spec.type === 'loopback'));
  return { desired: rebuild ? buildDesired(loaded.set, r.allocations, caps) : desired, errors: [] };
}
