import { parseCidr, subnetText, type Cidr, type Family } from '../model/ip.js';
import { byAddress, subnetOf, wider } from './subnets.js';
import type { VzVar, Warn } from './vz-conf.js';

/** A venet address of IP_ADDRESS, with the prefix written after it (vzctl's USE_VENET_MASK), if any. */
export interface VzAddress {
  readonly family: Family;
  readonly address: string;
  readonly prefix?: number;
}

/** `255.255.255.0` → 24; undefined for a mask that is not contiguous. */
function maskPrefix(mask: string): number | undefined {
  const c = parseCidr(mask);
  if (!c || c.family !== 4) return undefined;
  const bits = c.value.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? (bits.indexOf('0') < 0 ? 32 : bits.indexOf('0')) : undefined;
}

function parseOne(token: string, warn: (m: string) => void): VzAddress | undefined {
  const [addr, mask, extra] = token.split('/') as [string, string?, string?];
  const c = addr.includes('%') || extra !== undefined ? undefined : parseCidr(addr);
  if (!c) return void warn(`"${token}" is not an IP address: skipped`);
  if (c.value === 0n) return void warn(`${c.address} is no address (vzctl's placeholder): skipped`);
  if (mask === undefined) return { family: c.family, address: c.address };
  const prefix = /^\d{1,3}$/.test(mask) ? Number(mask) : c.family === 4 ? maskPrefix(mask) : undefined;
  if (prefix === undefined || prefix > (c.family === 4 ? 32 : 128))
    return void warn(`"${token}": "/${mask}" is not a prefix or netmask: skipped`);
  return { family: c.family, address: c.address, prefix };
}

/** IP_ADDRESS: addresses separated by spaces, IPv4 and IPv6, each maybe with /prefix or /netmask. */
export function parseIpAddress(v: VzVar, warn: Warn): VzAddress[] {
  const out: VzAddress[] = [];
  for (const token of v.value.split(/\s+/).filter(Boolean)) {
    const a = parseOne(token, (m) => warn(v.line, `IP_ADDRESS: ${m}`));
    if (a && !out.some((o) => o.address === a.address)) out.push(a);
  }
  return out;
}

/** Where a venet address came from, for the comment that says what was assumed. */
export interface SourcedAddress extends VzAddress {
  readonly file: string;
}

/** vzctl keeps no subnet for a venet address written bare: the usual provider allocations are assumed. */
export const ASSUMED_PREFIX: Readonly<Record<Family, number>> = { 4: 24, 6: 64 };

export interface DerivedSubnets {
  readonly subnets: readonly string[];
  /** Subnets taken from a prefix written in IP_ADDRESS, and those assumed, with the files that led to them. */
  readonly given: readonly string[];
  readonly assumed: readonly { readonly subnet: string; readonly files: readonly string[] }[];
}

/**
 * A routed network's subnets from its venet addresses: the prefix written after an address, else
 * the /24 (IPv4) or /64 (IPv6) holding it. A subnet inside a wider one is left out (two subnets
 * of one network may not overlap); IPv4 first, then IPv6, each in address order.
 */
export function deriveSubnets(addresses: readonly SourcedAddress[]): DerivedSubnets {
  const nets = new Map<string, { c: Cidr; given: boolean; files: Set<string> }>();
  for (const a of addresses) {
    const c = subnetOf(`${a.address}/${a.prefix ?? ASSUMED_PREFIX[a.family]}`)!;
    const id = subnetText(c);
    const n = nets.get(id) ?? { c, given: false, files: new Set<string>() };
    if (a.prefix !== undefined) n.given = true;
    else n.files.add(a.file);
    nets.set(id, n);
  }
  const kept = [...nets.entries()].filter(([, n]) => ![...nets.values()].some((o) => wider(o.c, n.c)));
  kept.sort(([, x], [, y]) => byAddress(x.c, y.c));
  return {
    subnets: kept.map(([id]) => id),
    given: kept.filter(([, n]) => n.given).map(([id]) => id),
    assumed: kept.filter(([, n]) => !n.given).map(([id, n]) => ({ subnet: id, files: [...n.files].sort() })),
  };
}
