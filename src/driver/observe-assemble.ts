import { existsSync, readdirSync, statSync } from 'node:fs';
import type { NsObjects, NsRef, ObservedState } from '../model/kernel.js';
import { pool } from './spawn.js';
import { readSysctlFamily, readSysctls } from './sysctl.js';
import { readSysctlTree } from './sysctl-tree.js';
import { readNftTables, type NftExec } from './nft.js';
import { probeCapabilities } from './capabilities.js';
import { identityText, statIdentity as statOf } from './netns-path.js';
import { runtimePaths } from './runtime-paths.js';
import type { ObserveRequest } from './types.js';
import { mergeIds, namesToAsk } from './netns-ids-reuse.js';

const PARALLEL = 4;

/** How a driver reads one namespace's objects (undefined: gone meanwhile) and the host's namespace ids. */
export interface NsReader {
  readonly hostNetns: string | null;
  observeNs(ns: NsRef): Promise<NsObjects | undefined>;
  /** The ids of `names` (all the named namespaces when absent); a driver may answer more. */
  netnsIds(names?: readonly string[]): Promise<Record<string, number>>;
  /** How it reads sysctls; sysctl.ts and sysctl-tree.ts (`ip netns exec` for a named namespace) when absent. */
  readonly sysctlReader?: SysctlReader;
  /** How it reaches nftables; the `nft` command when absent. */
  readonly nftExec?: NftExec;
}

/** Reading sysctls of a namespace (null: the real host): given keys, one `conf` family, whole trees. */
export interface SysctlReader {
  keys(netns: string | null, keys: readonly string[]): Promise<Record<string, string>>;
  family(netns: string | null, family: 4 | 6, leaf: string): Promise<Record<string, string>>;
  tree(netns: string | null, dirs: readonly string[]): Promise<Record<string, string>>;
}

/** Through processes for named namespaces, in-process for the real host. */
export const spawnSysctlReader: SysctlReader = {
  keys: readSysctls,
  family: readSysctlFamily,
  tree: (netns, dirs) => readSysctlTree(netns, dirs),
};

export function listNamedNetns(): string[] {
  try {
    return readdirSync('/run/netns')
      .filter((n) => !n.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The part of an observation every driver shares: which namespaces to read, sysctls and nft
 * tables (always through the same helpers), namespaces that vanished or are half made. Drivers
 * differ only in how links, addresses, routes and neighbours are read, so both give the same state.
 */
export async function assembleObservation(d: NsReader, req: ObserveRequest): Promise<ObservedState> {
  const listed = listNamedNetns();
  // one stat per name tells both whether a namespace is mounted there and which one it is
  const stats = statNames(listed);
  const runDev = devOf('/run/netns');
  const broken = listed.filter((n) => stats.get(n)?.dev === runDev);
  const brokenSet = new Set(broken);
  const wanted = req.namespaces.filter((n) => stats.has(n) && !brokenSet.has(n));
  const scanOnly = new Set(req.scanOnly ?? []);
  const sc = d.sysctlReader ?? spawnSysctlReader;
  const [host, ...rest] = await pool<NsRef, NsObjects | undefined>([null, ...wanted], PARALLEL, async (ns) => {
    // someone else's namespace, read only to look for marks, may be in any state: never fatal
    const objs = ns !== null && scanOnly.has(ns) ? await d.observeNs(ns).catch(() => undefined) : await d.observeNs(ns);
    if (!objs || ns === null) return objs;
    try {
      // a snapshot holds every net.* sysctl of every namespace it looked into
      const all = req.allSysctls ? await sc.tree(ns, ['net']) : {};
      const keys = req.nsSysctls?.[ns] ?? [];
      return keys.length || req.allSysctls
        ? { ...objs, sysctls: { ...all, ...(keys.length ? await sc.keys(ns, keys) : {}) } }
        : objs;
    } catch (e) {
      // deleted meanwhile (someone else's namespace, seen while looking for marks): simply gone
      if (scanOnly.has(ns) || !existsSync(`/run/netns/${ns}`) || isBroken(ns)) return undefined;
      throw e;
    }
  });
  // ctnet's tables live in the host namespace only (so far): containers need no rules of their own
  const nftables = await readNftTables(d.hostNetns, d.nftExec);
  const perNs = !!(req.netnsSysctls || req.allSysctls);
  const capabilities = req.capabilities || perNs ? await probeCapabilities(perNs) : undefined;
  const sysctls: Record<string, string> = req.allSysctls ? await sc.tree(d.hostNetns, ['net']) : {};
  for (const f of req.sysctlFamilies ?? []) Object.assign(sysctls, await sc.family(d.hostNetns, f.family, f.leaf));
  Object.assign(sysctls, await sc.keys(d.hostNetns, req.sysctls));
  // a namespace deleted between listing and reading is simply gone, not an error
  const gone = new Set(wanted.filter((_, i) => rest[i] === undefined));
  const namespaces = Object.fromEntries(wanted.flatMap((n, i) => (rest[i] ? [[n, rest[i]]] : [])));
  const netnsNames = listed.filter((n) => !gone.has(n));
  const self = runsInsideNamedNetns(stats);
  const known = identities(netnsNames, stats);
  const ask = namesToAsk(netnsNames, known.netnsIdentity, req.knownNetnsIds, d.hostNetns);
  const asked = ask.length ? await d.netnsIds(ask.length === netnsNames.length ? undefined : ask) : {};
  const reservedNetns = [...new Set([...(d.hostNetns ? [d.hostNetns] : []), ...(self ? [self] : [])])];
  return {
    host: { ...host!, sysctls, nftables },
    netnsNames,
    netnsIds: req.knownNetnsIds ? mergeIds(netnsNames, ask, req.knownNetnsIds, asked) : asked,
    namespaces,
    reservedNetns,
    ...(self ? { ownNetns: self } : {}),
    ...(capabilities ? { capabilities } : {}),
    ...(broken.length ? { brokenNetns: broken } : {}),
    ...(req.allSysctls ? { allSysctls: true } : {}),
    ...known,
    ...(await runtimePaths(d.hostNetns, req, (p, k) => sc.keys(p, k))),
  };
}

type Stat = { readonly dev: number; readonly ino: number };

const devOf = (path: string): number | undefined => statOf(path)?.dev;

function statNames(names: readonly string[]): Map<string, Stat> {
  const out = new Map<string, Stat>();
  for (const n of names) {
    const s = statOf(`/run/netns/${n}`);
    if (s) out.set(n, s);
  }
  return out;
}

/**
 * Which namespace each name and each runtime path is (`dev:ino` of the nsfs file): a runtime's restart shows as a
 * change.
 */
function identities(
  names: readonly string[],
  stats: ReadonlyMap<string, Stat>,
): { netnsIdentity: Record<string, string> } {
  const of = (n: string): [string, string][] => {
    const s = stats.get(n);
    return s ? [[n, identityText(s)]] : [];
  };
  return { netnsIdentity: Object.fromEntries(names.flatMap(of)) };
}

/** A file under /run/netns with no namespace mounted on it lies on /run's own device. */
export function isBroken(name: string): boolean {
  try {
    return statSync(`/run/netns/${name}`).dev === statSync('/run/netns').dev;
  } catch {
    return false;
  }
}

/**
 * Under `ip netns exec` ctnet's own network namespace is one of the named ones, and namespaces
 * it mounts would stay in that process's private mount namespace. Read from the stats the
 * observation took of every name.
 */
function runsInsideNamedNetns(known: ReadonlyMap<string, Stat>): string | undefined {
  try {
    const self = statSync('/proc/self/ns/net').ino;
    return [...known].find(([, s]) => s.ino === self)?.[0];
  } catch {
    return undefined;
  }
}
