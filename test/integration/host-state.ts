import { spawnSync } from 'node:child_process';
import { ipj, sh, waitUntil } from './sandbox.js';

/**
 * A link as `ip -d -json` shows it, without what traffic changes (counters) or the clock does (a
 * bridge's and its ports' running timers).
 */
function linkOf(l: Record<string, unknown>): string {
  const { stats: _s, stats64: _s64, ...rest } = l;
  return JSON.stringify(rest, (key, value: unknown) => (key.endsWith('_timer') ? undefined : value));
}

/** Every `net.*` sysctl of a namespace, as `key=value` lines (write-only and secret keys left out, and the conntrack counter). */
export function netSysctls(ns: string): string[] {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'grep', '-rs', '', '/proc/sys/net'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return r.stdout
    .split('\n')
    .filter((l) => l && !/stable_secret|\/flush:|nf_conntrack_count:/.test(l))
    .sort();
}

/**
 * A namespace's whole network state, for "the host equals the checkpoint": links (without
 * counters), addresses, routes of every table, proxy entries, `net.*` sysctls and the nftables
 * ruleset. Compared with toEqual, a difference names the line.
 */
export function hostState(ns: string) {
  return {
    links: ipj(ns, '-d', 'link', 'show').map(linkOf).sort(),
    addrs: ipj(ns, 'addr', 'show')
      .flatMap((l) => l.addr_info.map((a: Record<string, unknown>) => `${l.ifname} ${JSON.stringify(a)}`))
      .sort(),
    routes: ['-4', '-6']
      .flatMap((f) => ipj(ns, f, 'route', 'show', 'table', 'all').map((r) => JSON.stringify(r)))
      .sort(),
    proxy: ipj(ns, 'neigh', 'show', 'proxy')
      .map((n) => JSON.stringify(n))
      .sort(),
    sysctls: netSysctls(ns),
    nft: sh('ip', 'netns', 'exec', ns, 'nft', 'list', 'ruleset'),
  };
}

/**
 * Waits until the kernel's duplicate address detection is over on every link that carries
 * traffic: the link-locals it makes by itself lose their tentative flag on a clock of their own.
 */
export function settled(ns: string): void {
  const busy = (): boolean =>
    ipj(ns, 'addr', 'show').some(
      (l) => l.flags.includes('LOWER_UP') && l.addr_info.some((a: Record<string, unknown>) => a.tentative === true),
    );
  waitUntil(() => !busy(), 10_000);
}
