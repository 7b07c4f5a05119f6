import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import { isLinkLocal6, type AddressObj, type ObservedState } from '../model/kernel.js';
import { keyId } from '../model/keys.js';
import { append } from '../model/multimap.js';
import { markedOwner } from '../model/marker.js';
import type { ManifestSet } from '../manifest/types.js';
import type { AllocationProblem } from '../desired/allocate.js';
import { declaredAddresses } from '../desired/declared.js';
import { canon } from './address-edit.js';

/**
 * Explicit addresses the host already holds on an interface this instance does not own (an
 * uplink's address, a local service's): the host would keep such an address for itself (`ip
 * route get` says `local`) and the container, VM or gateway given it would be unreachable. Every
 * driver and network type alike, as `ctnet set` refuses an added one. Where ctnet itself puts an
 * address on a host interface (a gateway, an ipnet address), what is already there is the address
 * kind's to judge (ownership, `--adopt`).
 */
export function heldByHost(
  set: ManifestSet,
  desired: DesiredState,
  observed: ObservedState,
  inventory: Inventory,
): AllocationProblem[] {
  const placed = new Set<string>();
  for (const d of desired.objects) {
    if (d.kind === 'address' && d.ns === null) placed.add(`${d.obj.dev}\u0000${canon(d.obj.cidr)}`);
  }
  const links = new Map(observed.host.links.map((l) => [l.name, l]));
  const ownedLink = (dev: string): boolean =>
    !!(
      inventory.objects[keyId({ kind: 'link', ns: null, name: dev })] ??
      markedOwner(links.get(dev)?.alias, inventory.instance)
    );
  const mayHold = (a: AddressObj): boolean =>
    isLinkLocal6(a.cidr) ||
    placed.has(`${a.dev}\u0000${canon(a.cidr)}`) ||
    ownedLink(a.dev) ||
    !!inventory.objects[keyId({ kind: 'address', ns: null, dev: a.dev, cidr: a.cidr })];
  // the host's addresses indexed once: at 1000 routed containers the host holds some 2000, and a
  // scan per declared address (each parsing every address again) was quadratic on every run
  const byAddress = new Map<string, AddressObj[]>();
  for (const a of observed.host.addresses) append(byAddress, canon(a.cidr), a);
  return declaredAddresses(set).flatMap((d): AllocationProblem[] => {
    const holder = byAddress.get(canon(d.address))?.find((a) => !mayHold(a));
    return holder
      ? [{ owner: d.owner, field: d.field, message: `${d.address} is in use on the host (${holder.dev})` }]
      : [];
  });
}
