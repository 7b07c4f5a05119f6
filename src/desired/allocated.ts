import type { DesiredBuilder } from './builder.js';

/** Addresses handed to one interface that has none in its manifest: `container/ct1/eth0`. */
export interface Allocation {
  readonly id: string;
  readonly owner: string;
  readonly network: string;
  /** With the prefix they are configured with: the subnet's on a bridge, /32 and /128 when routed. */
  readonly addresses: readonly string[];
}

/**
 * An interface's allocated addresses (`container/ct1/eth0`, `vm/web/tap-web-0`), kept in the
 * inventory through an allocation object so they stay the same from run to run.
 */
export function allocatedFor(
  owner: string,
  ifname: string,
  allocations: readonly Allocation[],
  b: DesiredBuilder,
): readonly string[] {
  const a = allocations.find((x) => x.id === `${owner}/${ifname}`);
  if (a) b.add('allocation', null, owner, { name: a.id, addresses: a.addresses });
  return a?.addresses ?? [];
}
