import { formatAddress, networkOf, parseCidr, subnetText, type Cidr } from '../model/ip.js';

/** Whether subnet `a` holds subnet `b` and is wider. */
export const wider = (a: Cidr, b: Cidr): boolean =>
  a.family === b.family && a.prefix < b.prefix && networkOf({ ...b, prefix: a.prefix }) === networkOf(a);

/** IPv4 first, then IPv6, each in address order. */
export const byAddress = (x: Cidr, y: Cidr): number =>
  x.family - y.family || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0);

/** The subnet an address with a prefix lies in, host bits cleared: `10.0.0.7/24` → 10.0.0.0/24. */
export function subnetOf(cidr: string): Cidr | undefined {
  const c = parseCidr(cidr);
  if (!c) return undefined;
  const value = networkOf(c);
  return { ...c, value, address: formatAddress(c.family, value) };
}

/**
 * The subnets of a network from the addresses on it: each address's subnet, once, without those
 * a wider one holds (two subnets of one network may not overlap), in address order.
 */
export function subnetsOf(cidrs: readonly string[]): string[] {
  const all = new Map<string, Cidr>();
  for (const t of cidrs) {
    const s = subnetOf(t);
    // a host address (/32, /128) says nothing about the subnet around it
    if (s && s.prefix < (s.family === 4 ? 32 : 128)) all.set(subnetText(s), s);
  }
  const kept = [...all.values()].filter((s) => ![...all.values()].some((o) => wider(o, s)));
  return kept.sort(byAddress).map(subnetText);
}
