import { parseAddress, type Family } from '../../model/ip.js';
import { AF_INET, AF_INET6, ARPHRD_IP6GRE, ARPHRD_IPGRE, ARPHRD_SIT, ARPHRD_TUNNEL, ARPHRD_TUNNEL6 } from './constants.js';

/** The address family number as ctnet's 4 | 6, or undefined for every other family. */
export const familyOf = (af: number): Family | undefined => (af === AF_INET ? 4 : af === AF_INET6 ? 6 : undefined);

/**
 * An IP address in network byte order, in the canonical text `ip` prints (and parseCidr gives):
 * dotted quad, or IPv6 in lower case with the longest run of two or more zero groups as `::`
 * (model/ip's formatAddress, which the desired side uses: both must give the same text).
 * Written without BigInt: observation formats every address of every namespace.
 */
export function ipText(family: Family, b: Buffer): string | undefined {
  if (family === 4) return b.length < 4 ? undefined : `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length < 16) return undefined;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  return compressV6(g);
}

function compressV6(g: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
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
 * A link-layer address as iproute2's ll_addr_n2a prints it: IP tunnels carry an IP address
 * there (sit0 shows 0.0.0.0), everything else is colon-separated hex.
 */
export function llAddrText(type: number, b: Buffer): string {
  if (b.length === 4 && (type === ARPHRD_TUNNEL || type === ARPHRD_SIT || type === ARPHRD_IPGRE)) return ipText(4, b)!;
  if (b.length === 16 && (type === ARPHRD_TUNNEL6 || type === ARPHRD_IP6GRE)) return ipText(6, b)!;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** An IP address's text → its bytes in network order (what IFA_LOCAL, RTA_DST, NDA_DST carry). */
export function ipBytes(text: string): Buffer {
  const a = parseAddress(text);
  if (!a) throw new Error(`not an IP address: ${text}`);
  const len = a.family === 4 ? 4 : 16;
  const b = Buffer.alloc(len);
  let v = a.value;
  for (let i = len - 1; i >= 0; i--, v >>= 8n) b[i] = Number(v & 0xffn);
  return b;
}

/** `02:00:00:00:00:01` → its 6 bytes (IFLA_ADDRESS). */
export const macBytes = (mac: string): Buffer => Buffer.from(mac.split(':').map((x) => parseInt(x, 16)));
