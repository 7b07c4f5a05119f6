import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The machine the examples in manifests/ are written for, built inside namespaces: a namespace
 * playing the host, and one "computer on the LAN" namespace behind each of its interfaces:
 * enp0s5 (the routed LAN, IPv4 and IPv6), enp1s0 (the bridged DMZ), nic0 (a NIC to pass through).
 * The demo and the examples test share it; names carry a prefix so they never collide.
 */
export interface DemoLan {
  readonly ns: string;
  readonly uplink: string;
  readonly hostAddrs: readonly string[];
  readonly extAddrs: readonly string[];
  /** Routes of the computer on that LAN (`10.9.0.0/24 via 192.168.200.1`). */
  readonly extRoutes?: readonly string[];
}

export const lansOf = (prefix: string): DemoLan[] => [
  // the LAN reaches the host-local addresses of the loopback network through the host
  {
    ns: `${prefix}lan`,
    uplink: 'enp0s5',
    hostAddrs: ['192.168.200.1/24', '2001:db8:1::1/64'],
    extAddrs: ['192.168.200.254/24', '2001:db8:1::254/64'],
    extRoutes: ['10.9.0.0/24 via 192.168.200.1'],
  },
  { ns: `${prefix}dmz`, uplink: 'enp1s0', hostAddrs: [], extAddrs: ['10.40.0.254/24'] },
  { ns: `${prefix}nic`, uplink: 'nic0', hostAddrs: [], extAddrs: ['10.1.1.254/24'] },
];

function sh(...args: string[]): void {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr.trim()}`);
}

/** A prefix of one demo run's own: two runs at once never share a namespace name. */
export const demoPrefix = (): string => `ctnet-demo-${randomBytes(3).toString('hex')}-`;

/** The names among these that a namespace already has: not this run's to use, nor to remove. */
export const takenNames = (names: readonly string[]): string[] =>
  names.filter((n) => existsSync(join('/run/netns', n)));

/**
 * Creates the host namespace and its LANs, naming in `made` each namespace as it is created:
 * the caller removes those (removeMade), and nothing else.
 */
export function buildDemoHost(host: string, lans: readonly DemoLan[], made: string[]): void {
  addNetns(host, made);
  sh('ip', '-n', host, 'link', 'set', 'lo', 'up');
  buildDemoLans(host, lans, made);
}

/** `ip netns add` fails on a name that exists: a namespace is this run's only once it was added. */
function addNetns(name: string, made: string[]): void {
  sh('ip', 'netns', 'add', name);
  made.push(name);
}

/** The LANs alone, behind an existing host namespace. */
export function buildDemoLans(host: string, lans: readonly DemoLan[], made: string[] = []): void {
  for (const l of lans) {
    addNetns(l.ns, made);
    sh('ip', '-n', l.ns, 'link', 'set', 'lo', 'up');
    sh('ip', '-n', host, 'link', 'add', l.uplink, 'up', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', l.ns);
    sh('ip', '-n', l.ns, 'link', 'set', 'lan0', 'up');
    for (const a of l.extAddrs)
      sh('ip', '-n', l.ns, 'addr', 'add', a, 'dev', 'lan0', ...(a.includes(':') ? ['nodad'] : []));
    for (const a of l.hostAddrs)
      sh('ip', '-n', host, 'addr', 'add', a, 'dev', l.uplink, ...(a.includes(':') ? ['nodad'] : []));
    for (const r of l.extRoutes ?? []) sh('ip', '-n', l.ns, 'route', 'add', ...r.split(' '));
  }
}

/** Deletes the namespaces this run made, and only those. */
export function removeMade(made: readonly string[]): void {
  for (const n of made) spawnSync('ip', ['netns', 'del', n]);
}
