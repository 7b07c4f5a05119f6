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
  /** Bridged: the bridge network it is on. */
  readonly lan?: Lan;
}

/**
 * A bridge network of the layout. Linux takes at most 1023 ports on one bridge, so past
 * PER_BRIDGE bridged containers the layout adds bridge networks (`lan1` on `br-lan1`, 10.3/16,
 * …, without an uplink); up to 2 × PER_BRIDGE containers it is the one `lan` of every size.
 */
export interface Lan {
  readonly network: string;
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly uplink?: string;
}

export const PER_BRIDGE = 1000;

export function lan(k: number): Lan {
  return k === 0
    ? { network: 'lan', bridge: BRIDGE, subnet: BRIDGE_SUBNET, gateway: BRIDGE_GATEWAY, uplink: 'up1' }
    : { network: `lan${k}`, bridge: `${BRIDGE}${k}`, subnet: `10.${2 + k}.0.0/16`, gateway: `10.${2 + k}.0.1` };
}

/** How many bridge networks N containers take (the ones added to N join the last). */
export const lanCount = (n: number): number => Math.max(1, Math.ceil((n - Math.floor(n / 2)) / PER_BRIDGE));

export interface Layout {
  readonly n: number;
  /** Every namespace of this contestant starts with it. */
  readonly nsPrefix: string;
  readonly host: string;
  readonly cts: readonly Ct[];
  readonly lans: readonly Lan[];
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
  const k = Math.min(Math.floor((i - Math.floor(n / 2)) / PER_BRIDGE), lanCount(n) - 1);
  return {
    i,
    name: `c${i}`,
    mode,
    ns: `${nsPrefix}${i}`,
    ifname,
    veth: `ve-c${i}-${ifname}`,
    addr: addrOf(mode === 'routed' ? 1 : 2 + k, i),
    plen: mode === 'routed' ? 32 : 16,
    ...(mode === 'bridge' ? { lan: lan(k) } : {}),
  };
}

/** The layout of `n` containers for the contestant tagged `tag` in a run prefixed `prefix`. */
export function layout(prefix: string, tag: string, n: number): Layout {
  const nsPrefix = `${prefix}-${tag}`;
  const cts = Array.from({ length: n }, (_, i) => ct(nsPrefix, n, i));
  return { n, nsPrefix, host: `${nsPrefix}h`, cts, lans: Array.from({ length: lanCount(n) }, (_, k) => lan(k)) };
}
