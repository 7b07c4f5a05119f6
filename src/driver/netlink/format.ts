import { formatAddress, parseAddress, type Family } from '../../model/ip.js';
import { AF_INET, AF_INET6, ARPHRD_IP6GRE, ARPHRD_IPGRE, ARPHRD_SIT, ARPHRD_TUNNEL, ARPHRD_TUNNEL6 } from './constants.js';

/** The address family number as ctnet's 4 | 6, or undefined for every other family. */
export const familyOf = (af: number): Family | undefined => (af === AF_INET ? 4 : af === AF_INET6 ? 6 : undefined);

/** An IP address in network byte order, in the canonical text `ip` prints (and parseCidr gives). */
export function ipText(family: Family, b: Buffer): string | undefined {
  const len = family === 4 ? 4 : 16;
  if (b.length < len) return undefined;
  let v = 0n;
  for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(b[i]);
  return formatAddress(family, v);
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
