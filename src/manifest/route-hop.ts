import { cidrText, contains, formatAddress, networkOf, parseCidr, type Cidr } from '../model/ip.js';
import type { ContainerManifest, FieldPath, NetworkManifest, RouteSpec } from './types.js';

/** The routed gateway every routed interface reaches on its link (desired/routed.ts holds it). */
const ROUTED_GW: Readonly<Record<4 | 6, string>> = { 4: '169.254.0.1', 6: 'fe80::1' };

interface Iface {
  readonly name: string;
  readonly routed: boolean;
  /** Subnets on its link: its network's, and the prefixes its addresses are written with. */
  readonly subnets: readonly Cidr[];
  /** Its network is unknown (network-refs reports it): nothing can be said about its subnets. */
  readonly unknown: boolean;
}

/** How the kernel gets the route: the device and onlink flag to add it with, or why it cannot. */
export type Hop =
  | { readonly dev?: string; readonly onlink?: boolean }
  | { readonly error: { readonly path: FieldPath; readonly message: string } };

const cidrs = (texts: readonly string[]): Cidr[] => texts.map((t) => parseCidr(t)).filter((c): c is Cidr => !!c);

const onLink = (c: Cidr): Cidr => ({ ...c, value: networkOf(c), address: formatAddress(c.family, networkOf(c)) });

function ifacesOf(ct: ContainerManifest, nets: ReadonlyMap<string, NetworkManifest>): Iface[] {
  return (ct.spec.interfaces ?? []).map((i, n) => {
    const net = i.network === undefined ? undefined : nets.get(i.network);
    const routed = net?.spec.type === 'routed';
    const own = cidrs((i.addresses ?? []).filter((t) => t.includes('/')));
    const fromNet = routed ? [] : cidrs(net?.spec.subnets ?? []);
    const max = (c: Cidr): number => (c.family === 4 ? 32 : 128);
    const subnets = routed ? [] : [...fromNet, ...own.filter((c) => c.prefix < max(c)).map(onLink)];
    return { name: i.name ?? `eth${n}`, routed, subnets, unknown: i.network !== undefined && !net };
  });
}

const describe = (i: Iface): string => {
  const what = i.routed ? 'routed, gateway 169.254.0.1 / fe80::1' : i.subnets.map(cidrText).join(', ') || 'no subnet';
  return `${i.name}: ${what}`;
};

/**
 * Where a container route's next hop is: `via` inside a subnet of one of its interfaces (of
 * `dev` when named), the routed gateway of a routed interface (reached on-link: no route to it
 * exists inside the container), a link-local IPv6 address on `dev`, or anything with
 * `onlink: true` and `dev`. Shared by the rule that refuses a route and by the desired state that
 * makes it, so what validates is what the kernel gets.
 */
export function routeHop(ct: ContainerManifest, nets: ReadonlyMap<string, NetworkManifest>, r: RouteSpec): Hop {
  const all = ifacesOf(ct, nets);
  const fail = (path: FieldPath, message: string): Hop => ({ error: { path, message } });
  const named = r.dev === undefined ? undefined : all.find((i) => i.name === r.dev);
  if (r.dev !== undefined && !named) {
    const names = all.map((i) => i.name).join(', ') || 'it has none';
    return fail(['dev'], `interface "${r.dev}" is not one of the container's interfaces (${names})`);
  }
  if (r.onlink) {
    if (r.via === undefined) return fail(['onlink'], 'onlink needs "via": it says the next hop is on the link of dev');
    if (r.dev === undefined) return fail(['onlink'], 'onlink needs "dev": the interface whose link the next hop is on');
    return { dev: r.dev, onlink: true };
  }
  if (r.via === undefined) return r.dev === undefined ? fail([], 'a route needs "via", "dev" or both') : { dev: r.dev };
  const via = parseCidr(r.via);
  const candidates = named ? [named] : all;
  if (!via || candidates.some((i) => i.unknown)) return { dev: r.dev };
  const gw = candidates.filter((i) => i.routed && ROUTED_GW[via.family] === via.address);
  if (gw.length === 1) return { dev: gw[0].name, onlink: via.family === 4 ? true : undefined };
  if (gw.length > 1) {
    const names = gw.map((i) => i.name).join(', ');
    return fail(['via'], `${via.address} is the gateway of routed interfaces ${names}: name one with "dev"`);
  }
  if (via.family === 6 && /^fe[89ab]/.test(via.address)) {
    const why = `link-local next hop ${via.address} needs "dev": it is on every link`;
    if (r.dev === undefined) return fail(['via'], why);
    return { dev: r.dev };
  }
  if (candidates.some((i) => i.subnets.some((s) => contains(s, via)))) return { dev: r.dev };
  const where = named ? `interface "${named.name}"` : "the container's interfaces";
  const subnets = candidates.map(describe).join('; ') || 'none';
  return fail(
    ['via'],
    `next hop ${via.address} is unreachable: it lies in no subnet of ${where} (${subnets}); ` +
      'give "dev" and "onlink: true" for a next hop outside them',
  );
}
