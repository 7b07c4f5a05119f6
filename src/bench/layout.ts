/**
 * The objects every contestant builds, described once: N containers, the first half on a routed
 * network (uplink `up0`), the second half on a bridge network (uplink `up1`), each in its own
 * namespace. Every contestant gets its own tag in the namespace names, so that its leftovers can
 * be found and waited for, and its own namespace playing the host.
 */
export type Mode = 'routed' | 'bridge';

export interface Ct {
  readonly i: number;
  readonly name: string;
  readonly mode: Mode;
  /** The namespace's name under /run/netns. */
  readonly ns: string;
  /** The interface inside the container. */
  readonly ifname: string;
  /** ctnet's host end name (`ve-<container>-<ifname>`), used by the hand-written peers too. */
  readonly veth: string;
  /** IPv4 address without prefix. */
  readonly addr: string;
  /** The prefix length the container holds it with: /32 routed, /16 bridged. */
  readonly plen: number;
}

export interface Layout {
  readonly n: number;
  /** Every namespace of this contestant starts with it. */
  readonly nsPrefix: string;
  readonly host: string;
  readonly cts: readonly Ct[];
}

export const ROUTED_SUBNET = '10.1.0.0/16';
export const BRIDGE_SUBNET = '10.2.0.0/16';
export const BRIDGE_GATEWAY = '10.2.0.1';
export const BRIDGE = 'br-lan';
/** The address the change-one step gives container 0 (routed). */
export const CHANGED_ADDR = '10.1.250.1';

const addrOf = (net: number, i: number): string => `10.${net}.${((i + 2) >> 8) & 255}.${(i + 2) & 255}`;

/** Container `i` of a set of `n`: `i` ≥ n/2 (the one added to N included) is bridged. */
export function ct(nsPrefix: string, n: number, i: number): Ct {
  const mode: Mode = i < Math.floor(n / 2) ? 'routed' : 'bridge';
  const ifname = mode === 'routed' ? 'venet0' : 'eth0';
  return {
    i,
    name: `c${i}`,
    mode,
    ns: `${nsPrefix}${i}`,
    ifname,
    veth: `ve-c${i}-${ifname}`,
    addr: addrOf(mode === 'routed' ? 1 : 2, i),
    plen: mode === 'routed' ? 32 : 16,
  };
}

/** The layout of `n` containers for the contestant tagged `tag` in a run prefixed `prefix`. */
export function layout(prefix: string, tag: string, n: number): Layout {
  const nsPrefix = `${prefix}-${tag}`;
  return { n, nsPrefix, host: `${nsPrefix}h`, cts: Array.from({ length: n }, (_, i) => ct(nsPrefix, n, i)) };
}
