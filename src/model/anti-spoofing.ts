import type { NftChain, NftPart, NftRule, NftTableObj } from './nft.js';

/**
 * venet isolation (SPEC §1, routed interfaces), as one part of ctnet's nftables table in the
 * host namespace. A packet that comes in on a routed host end is accepted only when its source
 * is one of that interface's addresses, looked up in a concatenated set `saddr . iifname` (one
 * hash lookup per packet, however many containers); every other packet from a routed interface
 * is dropped and counted, in IPv4 and IPv6 alike. Forwarded multicast and broadcast from a routed
 * interface are dropped too (the kernel does not forward them unless a multicast router runs).
 *
 * The `input` chain applies the same check to packets a container sends to the host itself: a
 * spoofed source would otherwise make the host answer (or reflect) to an address the container
 * does not hold. Link-local IPv6 sources stay allowed there: neighbour discovery with the host
 * end (fe80::1) uses them, and the kernel never forwards them.
 */
export interface RoutedPort {
  /** The host end (`ve-ct1-venet0`). */
  readonly dev: string;
  /** Canonical addresses without prefix. */
  readonly v4: readonly string[];
  readonly v6: readonly string[];
}

const ROUTED = 'routed';
const ALLOWED4 = 'allowed4';
const ALLOWED6 = 'allowed6';
const PRIO = -1; // just before the usual filter tables: the counters see every spoofed packet

const fromRouted: NftRule = [{ match: ['iifname'], op: '!=', value: { set: ROUTED } }, { verdict: 'accept' }];
const dropCounted = (r: NftRule): NftRule => [...r, { counter: true }, { verdict: 'drop' }];
const ownSources: NftRule[] = [
  [{ match: ['ip saddr', 'iifname'], op: '==', value: { set: ALLOWED4 } }, { verdict: 'accept' }],
  [{ match: ['ip6 saddr', 'iifname'], op: '==', value: { set: ALLOWED6 } }, { verdict: 'accept' }],
  dropCounted([]),
];

const CHAINS: readonly NftChain[] = [
  {
    name: 'forward',
    base: { type: 'filter', hook: 'forward', prio: PRIO, policy: 'accept' },
    rules: [
      fromRouted,
      dropCounted([{ match: ['ip daddr'], op: '==', value: { prefix: '224.0.0.0/4' } }]),
      dropCounted([{ match: ['ip daddr'], op: '==', value: { addr: '255.255.255.255' } }]),
      dropCounted([{ match: ['ip6 daddr'], op: '==', value: { prefix: 'ff00::/8' } }]),
      ...ownSources,
    ],
  },
  {
    name: 'input',
    base: { type: 'filter', hook: 'input', prio: PRIO, policy: 'accept' },
    rules: [
      fromRouted,
      [{ match: ['ip6 saddr'], op: '==', value: { prefix: 'fe80::/10' } }, { verdict: 'accept' }],
      ...ownSources,
    ],
  },
];

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byText = (a: readonly string[], b: readonly string[]): number => cmp(a.join(' . '), b.join(' . '));

/** The table's part for these routed interfaces: sorted, so the same ports give the same rules. */
export function antiSpoofingPart(ports: readonly RoutedPort[]): NftPart {
  const pairs = (f: 'v4' | 'v6'): string[][] => ports.flatMap((p) => p[f].map((a) => [a, p.dev])).sort(byText);
  return {
    sets: [
      { name: ALLOWED4, type: ['ipv4_addr', 'ifname'], elements: pairs('v4') },
      { name: ALLOWED6, type: ['ipv6_addr', 'ifname'], elements: pairs('v6') },
      { name: ROUTED, type: ['ifname'], elements: [...new Set(ports.map((p) => p.dev))].sort().map((d) => [d]) },
    ],
    chains: CHAINS,
  };
}

/** The routed interfaces a table (as observed) polices: what a partial destroy keeps of it. */
export function portsOfTable(t: NftTableObj): RoutedPort[] {
  const elements = (name: string): readonly (readonly string[])[] =>
    t.sets.find((s) => s.name === name)?.elements ?? [];
  // addresses grouped by interface once: 10 000 ports each scanning every element took seconds
  const byDev = (name: string): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const [a, dev] of elements(name)) out.set(dev, [...(out.get(dev) ?? []), a]);
    return out;
  };
  const v4 = byDev(ALLOWED4);
  const v6 = byDev(ALLOWED6);
  return elements(ROUTED).map(([dev]) => ({ dev, v4: v4.get(dev) ?? [], v6: v6.get(dev) ?? [] }));
}
