import type { AddressObj, ObservedState } from '../model/kernel.js';
import { canon } from './address-edit.js';

/** Addresses an override (or a `ctnet set` edit) gives one interface of a container. */
export interface AddressClaim {
  readonly container: string;
  readonly netns: string;
  readonly iface: string;
  readonly add: readonly string[];
}

/**
 * What the manifests cannot know about an added address: whether the kernel already holds it,
 * on the host (an uplink's own address, a local service) or in another namespace (an address
 * someone set by hand). vzctl refuses such an --ipadd too; the container's own namespace does
 * not count, so repeating an edit that is already in place is no conflict.
 */
export function addressesInUse(claims: readonly AddressClaim[], observed: ObservedState): string[] {
  const out = new Set<string>();
  for (const c of claims) {
    for (const a of c.add) {
      const holder = holderOf(observed, canon(a), c.netns);
      if (holder) out.add(`${canon(a)} (added to container ${c.container}, interface ${c.iface}) is in use ${holder}`);
    }
  }
  return [...out];
}

const on = (list: readonly AddressObj[], address: string, skip?: (a: AddressObj) => boolean): AddressObj | undefined =>
  list.find((x) => canon(x.cidr) === address && !skip?.(x));

/** `on the host (enp0s5)` when the host holds `address` (canonical), except where `skip` says it may. */
export function hostHolder(
  observed: ObservedState,
  address: string,
  skip?: (a: AddressObj) => boolean,
): string | undefined {
  const host = on(observed.host.addresses, address, skip);
  return host ? `on the host (${host.dev})` : undefined;
}

function holderOf(observed: ObservedState, address: string, own: string): string | undefined {
  const host = hostHolder(observed, address);
  if (host) return host;
  for (const [ns, objs] of Object.entries(observed.namespaces)) {
    if (ns === own) continue;
    const hit = on(objs.addresses, address);
    if (hit) return `in namespace ${ns} (${hit.dev})`;
  }
  return undefined;
}
