import {
  isLinkLocal6,
  nsObjectsIn,
  type AddressObj,
  type LinkObj,
  type NsRef,
  type ObservedState,
} from '../model/kernel.js';
import { parseMarker } from '../model/marker.js';

/** A veth between the host and a namespace being described: its end there and its host end. */
export interface VethPair {
  readonly ns: string;
  readonly end: LinkObj;
  readonly host: LinkObj;
}

/** The host's veths whose other end is in one of these namespaces, paired by the kernel's ids. */
export function hostPairs(o: ObservedState, names: readonly string[]): VethPair[] {
  return names.flatMap((ns) => {
    const id = o.netnsIds?.[ns];
    const links = nsObjectsIn(o, ns)?.links ?? [];
    return o.host.links.flatMap((host) => {
      if (host.kind !== 'veth' || id === undefined || host.peerNetnsId !== id) return [];
      const end = links.find((l) => l.ifindex === host.peerIfindex && l.peerIfindex === host.ifindex);
      return end ? [{ ns, end, host }] : [];
    });
  });
}

/** The owner a ctnet mark names (of any instance): such objects are described by their manifests. */
export const ctnetOwner = (l: LinkObj | undefined): string | undefined => parseMarker(l?.alias)?.owner;

/**
 * The addresses someone set on a link: permanent ones, without the kernel's IPv6 link-locals (and
 * SLAAC's or DHCP's, which have a lifetime), in the order the kernel lists them.
 */
export function addressesOn(o: ObservedState, ns: NsRef, dev: string): AddressObj[] {
  return (nsObjectsIn(o, ns)?.addresses ?? []).filter(
    (a) => a.dev === dev && !a.dynamic && !(a.family === 6 && isLinkLocal6(a.cidr)),
  );
}

/** The address part of `10.0.0.1/24`. */
export const bare = (cidr: string): string => cidr.split('/')[0];

/** The default MTU of the links ctnet makes: an interface states its MTU only when it differs. */
export const DEFAULT_MTU = 1500;
