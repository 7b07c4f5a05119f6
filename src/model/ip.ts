import { familyOf } from './ip-family.js';

export type Family = 4 | 6;

/** An address with an optional prefix, as written in manifests (`10.0.0.1`, `10.0.0.1/24`). */
export interface Cidr {
  readonly family: Family;
  /** Canonical text of the address, as `ip` prints it (IPv6 compressed, lower case). */
  readonly address: string;
  readonly prefix: number;
  readonly value: bigint;
}

const bits = (f: Family): number => (f === 4 ? 32 : 128);

export function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  const f = familyOf(text);
  if (f === 4) {
    const v = text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { family: 4, value: v };
  }
  if (f === 6) return { family: 6, value: parseV6(text) };
  return undefined;
}

function parseV6(text: string): bigint {
  let t = text.toLowerCase();
  const v4 = t.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const n = parseAddress(v4[1])!.value;
    t = t.slice(0, -v4[1].length) + ((n >> 16n).toString(16) + ':' + (n & 0xffffn).toString(16));
  }
  const [head, tail] = t.includes('::') ? t.split('::') : [t, undefined];
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  }
  return formatV6Groups(Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn)));
}

/**
 * Eight 16-bit groups as ctnet (and `ip`) write IPv6: lower-case hex, the longest run of two or more zero groups as
 * `::`.
 */
export function formatV6Groups(g: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * Every run parses the same few thousand address texts many times over (rules, desired state, allocation, the
 * kernel's addresses): each is parsed once. Bounded, so a long-running watch follows the manifests.
 */
const parsed = new Map<string, Cidr | null>();
const MAX_PARSED = 1 << 15;

/** Parses `addr` or `addr/prefix`; without a prefix the host prefix (/32, /128) is used. */
export function parseCidr(text: string): Cidr | undefined {
  const hit = parsed.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const c = parseCidrText(text);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(text, c ?? null);
  return c;
}

function parseCidrText(text: string): Cidr | undefined {
  // one part at least; the others are undefined when absent
  const [addr, pfx, extra] = text.split('/') as [string, string?, string?];
  if (extra !== undefined) return undefined;
  const a = parseAddress(addr);
  if (!a) return undefined;
  const max = bits(a.family);
  if (pfx !== undefined && !/^\d{1,3}$/.test(pfx)) return undefined;
  const prefix = pfx === undefined ? max : Number(pfx);
  if (prefix > max) return undefined;
  return Object.freeze({ family: a.family, address: formatAddress(a.family, a.value), prefix, value: a.value });
}

export const cidrText = (c: Cidr): string => `${c.address}/${c.prefix}`;

export function hostMask(family: Family, prefix: number): bigint {
  return (1n << BigInt(bits(family) - prefix)) - 1n;
}

export function networkOf(c: Cidr): bigint {
  return c.value & ~hostMask(c.family, c.prefix);
}

/** Whether `addr` (any prefix) lies inside subnet `net`. */
export function contains(net: Cidr, addr: Cidr): boolean {
  return net.family === addr.family && (addr.value & ~hostMask(net.family, net.prefix)) === networkOf(net);
}

/** The subnet written with its host bits cleared: `10.0.0.7/24` → `10.0.0.0/24`. */
export function subnetText(c: Cidr): string {
  return `${formatAddress(c.family, networkOf(c))}/${c.prefix}`;
}

export function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

export const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
