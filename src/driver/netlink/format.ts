import { formatV6Groups, parseAddress, type Family } from '../../model/ip.js';
import {
  AF_INET,
  AF_INET6,
  ARPHRD_IP6GRE,
  ARPHRD_IPGRE,
  ARPHRD_SIT,
  ARPHRD_TUNNEL,
  ARPHRD_TUNNEL6,
} from './constants.js';

/** The address family number as ctnet's 4 | 6, or undefined for every other family. */
export const familyOf = (af: number): Family | undefined => (af === AF_INET ? 4 : af === AF_INET6 ? 6 : undefined);

/**
 * An IP address in network byte order, in the canonical text `ip` prints (and parseCidr gives):
 * dotted quad, or IPv6 by model/ip's one rule (the desired side's text must be the same).
 * Read from the bytes without BigInt: observation formats every address of every namespace.
 */
export function ipText(family: Family, b: Buffer): string | undefined {
  if (family === 4) return b.length < 4 ? undefined : `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length < 16) return undefined;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  return formatV6Groups(g);
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
