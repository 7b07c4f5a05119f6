import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { waitUntil } from './sandbox.js';

/** A link (or an address list) as `ip -d -json` shows it. */
export type IpLink = Record<string, any>;

/** What one namespace holds, as `ip -json`, `grep` and `nft` print it, read by one process. */
export interface RawState {
  readonly links: IpLink[];
  readonly addrs: IpLink[];
  readonly routes: IpLink[];
  readonly proxy: IpLink[];
  readonly sysctls: string;
  readonly nft: string;
  /** `ip netns list-id`: the ids this namespace gives the others, with their names. */
  readonly nsids: IpLink[];
}

const SEP = '@@ctnet-test-section@@';
const READ = [
  'ip -d -json link show',
  'ip -json addr show',
  'ip -4 -json route show table all',
  'ip -6 -json route show table all',
  'ip -json neigh show proxy',
  "grep -rs '' /proc/sys/net",
  'nft list ruleset',
  'ip -json netns list-id',
].join(`; echo ${SEP}; `);

const ARGS = (ns: string): string[] => ['netns', 'exec', ns, 'sh', '-c', READ];

/** Reads a namespace whole with one `ip netns exec` (tests compare many namespaces many times). */
export function readState(ns: string): RawState {
  const r = spawnSync('ip', ARGS(ns), { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`reading ${ns}: ${r.stderr}`);
  return parsed(r.stdout);
}

/** The same, in the background: several namespaces are read at once. */
export async function readStateAsync(ns: string): Promise<RawState> {
  return parsed((await promisify(execFile)('ip', ARGS(ns), { encoding: 'utf8', maxBuffer: 64 << 20 })).stdout);
}

function parsed(stdout: string): RawState {
  const [links, addrs, r4, r6, proxy, sysctls, nft, nsids] = stdout.split(`${SEP}\n`);
  const json = (s: string): IpLink[] => (s.trim() ? JSON.parse(s) : []);
  const routes = [...json(r4), ...json(r6)];
  return { links: json(links), addrs: json(addrs), routes, proxy: json(proxy), sysctls, nft, nsids: json(nsids) };
}

/** A link without what traffic changes (its counters) or the clock does (a bridge's and its ports' running timers). */
function linkOf(l: IpLink): string {
  const { stats: _s, stats64: _s64, ...rest } = l;
  return JSON.stringify(rest, (key, value: unknown) => (key.endsWith('_timer') ? undefined : value));
}

/** `net.*` sysctls as `path:value` lines (write-only and secret keys left out, and the conntrack counter). */
export const sysctlLines = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l && !/stable_secret|\/flush:|nf_conntrack_count:/.test(l))
    .sort();

/**
 * A namespace's whole network state, for "the host equals the checkpoint": links (without
 * counters), addresses, routes of every table, proxy entries, `net.*` sysctls and the nftables
 * ruleset. Compared with toEqual, a difference names the line. `link` may rewrite each link first
 * (netns-state.ts: what the kernel numbers afresh when a link is made again).
 */
export function stateOf(raw: RawState, link: (l: IpLink) => IpLink = (l) => l) {
  return {
    links: raw.links.map((l) => linkOf(link(l))).sort(),
    addrs: raw.addrs.flatMap((l) => l.addr_info.map((a: IpLink) => `${l.ifname} ${JSON.stringify(a)}`)).sort(),
    routes: raw.routes.map((r) => JSON.stringify(r)).sort(),
    proxy: raw.proxy.map((n) => JSON.stringify(n)).sort(),
    sysctls: sysctlLines(raw.sysctls),
    nft: raw.nft,
  };
}

export const hostState = (ns: string) => stateOf(readState(ns));

/** Duplicate address detection still running on a link that carries traffic. */
export const detecting = (raw: RawState): boolean =>
  raw.addrs.some((l) => l.flags.includes('LOWER_UP') && l.addr_info.some((a: IpLink) => a.tentative === true));

/**
 * Waits until the kernel's duplicate address detection is over on every link that carries
 * traffic: the link-locals it makes by itself lose their tentative flag on a clock of their own.
 */
export function settled(ns: string): void {
  waitUntil(() => !detecting(readState(ns)), 10_000);
}
