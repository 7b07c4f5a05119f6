import { readdirSync } from 'node:fs';
import { ipj, sh, waitUntil } from '../integration/sandbox.js';
import { readState, settled, sysctlLines } from '../integration/host-state.js';

/**
 * What the kernel numbers by itself and a link made again cannot keep: its index and its peer's,
 * the id its peer's namespace has here, a bridge port's number, timers, and counters.
 */
const KERNEL_OWN = /^(ifindex|link_index|link_netnsid|port_no|port_id|no|stats|stats64|.*_timer)$/;

function withoutKernelNumbers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutKernelNumbers);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !KERNEL_OWN.test(k))
      .map(([k, x]) => [k, withoutKernelNumbers(x)]),
  );
}

const json = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

/**
 * Duplicate address detection runs on the kernel's clock, and only while a link has a carrier: a
 * link-local's `tentative` flag, and the local route the kernel adds once it is over, are not
 * anyone's to put back (an uplink the run brought up and the rollback down again has finished it).
 */
const dadOver = (r: Record<string, unknown>): boolean =>
  r.table === 'local' && r.protocol === 'kernel' && String(r.dst).startsWith('fe80:');

const routesOf = (ns: string): Record<string, unknown>[] =>
  ['-4', '-6'].flatMap((f) => ipj(ns, f, 'route', 'show', 'table', 'all'));

/** A route's `linkdown` follows its link's carrier a moment later: until every one does, the state is not read. */
function carrierSettled(ns: string): void {
  const carrier = (): Map<string, boolean> =>
    new Map(ipj(ns, 'link', 'show').map((l) => [l.ifname as string, (l.flags as string[]).includes('LOWER_UP')]));
  waitUntil(() => {
    const up = carrier();
    return routesOf(ns).every((r) => {
      const dev = up.get(String(r.dev));
      // a local route (an address of this host) never says linkdown
      return dev === undefined || r.type === 'local' || (r.flags as string[]).includes('linkdown') === !dev;
    });
  }, 10_000);
}

/**
 * One namespace's whole network state, as test/integration/host-state.ts reads a host (links,
 * addresses, routes of every table, proxy entries, net.* sysctls, the nftables ruleset), without
 * the kernel's numbers and DAD's progress, and without the address and sysctl lines `leaves` names.
 */
function namespaceState(ns: string, leaves: RegExp | undefined) {
  settled(ns);
  carrierSettled(ns);
  const addrs = ipj(ns, 'addr', 'show').flatMap((l) =>
    l.addr_info.map(({ tentative: _t, ...a }: Record<string, unknown>) => `${l.ifname} ${JSON.stringify(a)}`),
  );
  const routes = routesOf(ns).filter((r) => !dadOver(r));
  return {
    links: json(ipj(ns, '-d', 'link', 'show').map(withoutKernelNumbers)),
    addrs: addrs.filter((l) => !leaves?.test(l)).sort(),
    routes: json(routes),
    proxy: json(ipj(ns, 'neigh', 'show', 'proxy')),
    sysctls: sysctlLines(readState(ns).sysctls).filter((l) => !leaves?.test(l)),
    nft: sh('ip', 'netns', 'exec', ns, 'nft', 'list', 'ruleset'),
  };
}

/** Every namespace whose name starts with `prefix`: "the host equals the checkpoint" for all of them. */
export function kernelState(prefix: string, leaves?: RegExp): Record<string, ReturnType<typeof namespaceState>> {
  const names = readdirSync('/run/netns')
    .filter((n) => n.startsWith(prefix))
    .sort();
  return Object.fromEntries(names.map((n) => [n, namespaceState(n, leaves)]));
}
