import { writeFileSync } from 'node:fs';
import { availableParallelism, release } from 'node:os';
import { STEPS } from './contestant.js';
import { CONTESTANT_ORDER, floorRatios, PEERS, ratios, type Results } from './results.js';
import type { Target } from './targets.js';

/**
 * The printed tables (one per N: steps × contestants, ctnet's peak RSS, then ctnet-netlink's
 * ratios to each peer for apply and destroy) and the JSON file with every figure.
 */
export const NOTES = [
  'times: wall seconds, minimum of the runs; RSS: peak RSS of the ctnet process, maximum of the runs',
  "ctnet: after the cold apply the bench waits until the CPUs are quiet again (the kernel's own work on the new links) before the no-op steps",
  'apply of the peers = their setup, destroy = their teardown; both include creating/deleting the namespaces',
  'physical: the floor, one C process over rtnetlink (built with cc at bench time), one request and one ACK at a time: namespaces, veths, bridge, addresses, routes, proxy entries, ip_forward; its plan = reading the link, address, route and neighbour tables of every namespace (what a no-op plan or apply cannot do less than); its add-one = one container made (also the floor of watch-add-one)',
  "physical: ctnet's objects without its marks (link aliases) and its nft isolation table",
  'ip-batch: one ip -batch for the namespaces, one for the host, one per container namespace (2×cores in parallel); ip-per-op: the same operations, one ip process each (sh script); neither sets sysctls',
  'cni: ptp (routed half) and bridge (bridged half), host-local IPAM; no proxy ARP entry, no uplink enslaved, lo left down (runtimes call the loopback plugin for it)',
  'netavark 1.4: all N bridged (no routed mode); internal network = no firewall rules (1.4 has no "none" driver), hence no default route in the containers',
  'watch-add-one: a running `ctnet watch` (netlink, --debounce 100) over N: one container file added → its host veth and its address exist',
];

const cell = (v: number | undefined, unit = 's', digits = 2): string =>
  (v === undefined ? '—' : `${v.toFixed(digits)} ${unit}`).padStart(10);
const rat = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(2)}×`).padStart(10);

export function printTable(r: Results, n: number): void {
  const m = r[n] ?? {};
  const who = CONTESTANT_ORDER.filter((c) => m[c]);
  console.log(`\nN = ${n} (${Math.floor(n / 2)} routed + ${n - Math.floor(n / 2)} bridged)`);
  console.log(
    `${'step'.padEnd(14)}${who.map((c) => c.padStart(16)).join('')}${'nl RSS'.padStart(10)}${'ip RSS'.padStart(10)}`,
  );
  for (const step of STEPS) {
    if (!who.some((c) => m[c]?.[step])) continue;
    const times = who.map((c) => cell(m[c]?.[step]?.s).padStart(16)).join('');
    const rss = (c: string): string => cell(m[c]?.[step]?.rssMb, 'MB', 0);
    console.log(`${step.padEnd(14)}${times}${rss('ctnet-netlink')}${rss('ctnet-iproute2')}`);
  }
  const fr = floorRatios(r, n);
  if (Object.keys(fr).length) {
    const rows = who.flatMap((c) => (fr[c] ? [[c, fr[c]] as const] : []));
    console.log(`\n× physical floor${rows.map(([c]) => c.padStart(16)).join('')}`);
    for (const step of STEPS) {
      const row = rows.map(([, f]) => rat(f[step]).padStart(16));
      if (row.some((x) => x.trim() !== '—')) console.log(`${step.padEnd(16)}${row.join('')}`);
    }
  }
  const rs = ratios(r, n);
  console.log(`\nctnet-netlink / ${''.padEnd(7)}${PEERS.map((p) => p.padStart(16)).join('')}`);
  for (const [step, row] of Object.entries(rs))
    console.log(`${step.padEnd(23)}${PEERS.map((p) => rat(row[p]).padStart(16)).join('')}`);
}

export function printNotes(): void {
  console.log('');
  for (const n of NOTES) console.log(`* ${n}`);
}

export interface RunInfo {
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly contestants: readonly string[];
  readonly skipped: Readonly<Record<string, string>>;
}

export function writeJson(path: string, info: RunInfo, r: Results, ts: readonly Target[]): void {
  const doc = {
    date: new Date().toISOString(),
    machine: { nproc: availableParallelism(), kernel: release(), node: process.version },
    ...info,
    unit: { s: 'wall seconds, minimum of the runs', rssMb: 'peak RSS of the ctnet process in MB, maximum of the runs' },
    results: r,
    ratios: Object.fromEntries(info.sizes.map((n) => [n, ratios(r, n)])),
    floorRatios: Object.fromEntries(info.sizes.map((n) => [n, floorRatios(r, n)])),
    targets: ts,
    notes: NOTES,
  };
  writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
  console.log(`\nwritten: ${path}`);
}
