import type { Family } from '../model/ip.js';
import type { RouteObj } from '../model/kernel.js';

/** An interface of an imported container, with the gateways its network gives it a default route through. */
export interface Iface {
  readonly name: string;
  readonly network: string;
  readonly mac?: string;
  readonly mtu?: number;
  readonly addresses: readonly string[];
  readonly gateways: ReadonlyMap<Family, string>;
}

export interface RouteSpec {
  readonly to: string;
  readonly via?: string;
  readonly dev?: string;
  readonly onlink?: boolean;
}

/** Routes the kernel makes itself (protocol redirect, kernel, ra): never a manifest's. */
const KERNEL_PROTOCOLS: ReadonlySet<number> = new Set([1, 2, 9]);

function specOf(r: RouteObj): RouteSpec {
  return {
    to: r.dst,
    ...(r.via ? { via: r.via } : {}),
    ...(r.dev ? { dev: r.dev } : {}),
    ...(r.onlink ? { onlink: true } : {}),
  };
}

/**
 * A namespace's routes as `spec.routes`, without those the manifests imply: the kernel's own, and
 * a default route through the gateway the interface's network gives it (ctnet makes that one).
 * A default route through another hop where the network has a gateway cannot be described (ctnet
 * would make the gateway's): a warning. `notes` says which default routes ctnet adds that are not
 * there now.
 */
export function routesOf(
  routes: readonly RouteObj[],
  ifaces: readonly Iface[],
  ns: string,
  warn: (m: string) => void,
): { routes: RouteSpec[]; notes: string[] } {
  const out: RouteSpec[] = [];
  const implied = new Set<string>();
  for (const r of routes) {
    if (r.protocol !== undefined && KERNEL_PROTOCOLS.has(r.protocol)) continue;
    const i = ifaces.find((x) => x.name === r.dev);
    const what = `namespace ${ns}: route ${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
    if (!i) {
      warn(`${what} not described: ${r.dev ?? 'its interface'} is not an interface described`);
      continue;
    }
    const gw = r.dst === 'default' ? i.gateways.get(r.family) : undefined;
    if (gw && r.via === gw) implied.add(`${i.name} ${r.family}`);
    else if (gw) warn(`${what} not described: network ${i.network}'s gateway ${gw} gives ${i.name} its default route`);
    else out.push(specOf(r));
  }
  const notes = ifaces.flatMap((i) =>
    [...i.gateways].flatMap(([f, gw]) =>
      implied.has(`${i.name} ${f}`)
        ? []
        : [`ctnet adds a default route via ${gw} dev ${i.name}, which is not there now.`],
    ),
  );
  return { routes: out, notes };
}
