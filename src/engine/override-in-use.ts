import type { ObservedState } from '../model/kernel.js';
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

function holderOf(observed: ObservedState, address: string, own: string): string | undefined {
  const on = (list: readonly { dev: string; cidr: string }[]) => list.find((x) => canon(x.cidr) === address);
  const host = on(observed.host.addresses);
  if (host) return `on the host (${host.dev})`;
  for (const [ns, objs] of Object.entries(observed.namespaces)) {
    if (ns === own) continue;
    const hit = on(objs.addresses);
    if (hit) return `in namespace ${ns} (${hit.dev})`;
  }
  return undefined;
}
