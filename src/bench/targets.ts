import { peakRss, ratio, time, type Results } from './results.js';

/**
 * Issue 15's targets, for ctnet with its default driver (netlink). A target is judged only when
 * its N was run and its figure exists; ratios are taken within one run of the bench.
 */
export interface Target {
  readonly n: number;
  readonly text: string;
  readonly value: number;
  readonly unit: '×' | 's' | 'MB';
  readonly limit: number;
  readonly met: boolean;
}

interface Spec {
  n: number;
  text: string;
  unit: Target['unit'];
  limit: number;
  get: (r: Results) => number | undefined;
}

const SPECS: Spec[] = [
  {
    n: 300,
    text: 'cold apply of 300 ≤ 0.8× the ip -batch floor',
    unit: '×',
    limit: 0.8,
    get: (r) => ratio(r, 300, 'floor', 'apply'),
  },
  {
    n: 1000,
    text: 'cold apply of 1000 ≤ 0.7× the ip -batch floor',
    unit: '×',
    limit: 0.7,
    get: (r) => ratio(r, 1000, 'floor', 'apply'),
  },
  {
    n: 300,
    text: 'no-op plan of 300 ≤ 0.3 s',
    unit: 's',
    limit: 0.3,
    get: (r) => time(r, 300, 'ctnet-netlink', 'plan'),
  },
  {
    n: 1000,
    text: 'no-op plan of 1000 ≤ 1 s',
    unit: 's',
    limit: 1,
    get: (r) => time(r, 1000, 'ctnet-netlink', 'plan'),
  },
  {
    n: 1000,
    text: 'destroy of 1000 ≤ 1 s',
    unit: 's',
    limit: 1,
    get: (r) => time(r, 1000, 'ctnet-netlink', 'destroy'),
  },
  {
    n: 1000,
    text: 'one container added to 1000 (apply) ≤ 0.5 s',
    unit: 's',
    limit: 0.5,
    get: (r) => time(r, 1000, 'ctnet-netlink', 'add-one'),
  },
  {
    n: 1000,
    text: 'one container added to 1000 in watch ≤ 0.3 s',
    unit: 's',
    limit: 0.3,
    get: (r) => time(r, 1000, 'ctnet-netlink', 'watch-add-one'),
  },
  { n: 1000, text: 'peak RSS at 1000 ≤ 200 MB', unit: 'MB', limit: 200, get: (r) => peakRss(r, 1000, 'ctnet-netlink') },
];

export function targets(r: Results): Target[] {
  return SPECS.flatMap((s) => {
    const value = s.get(r);
    return value === undefined
      ? []
      : [{ n: s.n, text: s.text, value, unit: s.unit, limit: s.limit, met: value <= s.limit }];
  });
}

// three decimals for ratios: 0.804 must not print as a "not met" 0.80
const show = (t: Target): string =>
  t.unit === '×' ? `${t.value.toFixed(3)}×` : t.unit === 's' ? `${t.value.toFixed(2)} s` : `${t.value.toFixed(0)} MB`;

export function printTargets(ts: readonly Target[]): void {
  if (!ts.length) console.log('\nno target applies to the sizes run (targets are at N = 300 and 1000)');
  for (const t of ts) console.log(`target: ${t.text}: ${show(t)} — ${t.met ? 'met' : 'not met'}`);
}
