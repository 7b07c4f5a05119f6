import { networkOf, parseCidr, subnetText, type Cidr } from '../../model/ip.js';

/**
 * What an address field may hold. `address`: an address, with or without /prefix; `host`: one
 * without (a next hop); `subnet`: address/prefix with the host bits clear; `route`: a subnet, a
 * bare address (a host route) or "default".
 */
export type IpField = 'address' | 'host' | 'subnet' | 'route';

/**
 * The schema's patternErrorMessage words for the same mistakes (schemas/ctnet.schema.json): the
 * schema and these rules then print the same line for one bad value, and it is listed once.
 */
export const IP_WORDS = {
  zone: 'has an IPv6 zone suffix: write the address without "%" and the interface',
  address: 'is not an IP address',
  subnet: 'is not a subnet (address/prefix)',
  route: 'is not a subnet or "default"',
} as const;

const say = (text: string, words: string): string => `${JSON.stringify(text)} ${words}`;

/**
 * parseCidr without zone suffixes: Node's isIP takes `fe80::1%eth0`, and the suffix would
 * silently vanish from the canonical form, while `ip address` refuses it.
 */
export const parseIp = (text: string): Cidr | undefined => (text.includes('%') ? undefined : parseCidr(text));

/** What is wrong with the text of an address field, or undefined when it is sound. */
export function ipProblem(text: string, field: IpField): string | undefined {
  if (text.includes('%')) return say(text, IP_WORDS.zone);
  if (field === 'route' && text === 'default') return undefined;
  const c = parseCidr(text);
  const prefixed = text.includes('/');
  if (field === 'subnet' && (!c || !prefixed)) return say(text, IP_WORDS.subnet);
  if (field === 'route' && !c) return say(text, IP_WORDS.route);
  if (!c || (field === 'host' && prefixed)) return say(text, IP_WORDS.address);
  // the kernel refuses a route to 10.0.0.7/24, and a subnet written so is most likely a typo
  if ((field === 'subnet' || field === 'route') && networkOf(c) !== c.value) {
    return `${JSON.stringify(text)} has host bits set: did you mean ${subnetText(c)}?`;
  }
  return undefined;
}
