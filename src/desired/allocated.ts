import type { Allocation } from './allocate.js';
import type { DesiredBuilder } from './builder.js';

/**
 * An interface's allocated addresses (`container/ct1/eth0`, `vm/web/tap-web-0`), kept in the
 * inventory through an allocation object so they stay the same from run to run.
 */
export function allocatedFor(owner: string, ifname: string, allocations: readonly Allocation[], b: DesiredBuilder): readonly string[] {
  const a = allocations.find((x) => x.id === `${owner}/${ifname}`);
  if (a) b.add('allocation', null, owner, { name: a.id, addresses: a.addresses });
  return a?.addresses ?? [];
}
