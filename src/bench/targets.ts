import { floorRatio, time, type Results } from './results.js';

/**
 * Issue 24's targets, for ctnet with its default driver (netlink): ratios to the physical floor
 * measured in the same run, and absolute times and memory. A target is judged only when its N
 * was run with ctnet-netlink (and, for a ratio, the floor); otherwise it is listed as not run.
 */
export interface Target {
  readonly n: number;
  readonly text: string;
  /** Undefined: the figure it needs is missing (not run, or the floor could not be built). */
  readonly value?: number;
  readonly unit: '×' | 's' | 'MB' | 'exit';
  readonly limit: number;
  readonly met?: boolean;
}

interface Spec {
  n: number;
  text: string;
  unit: Target['unit'];
  limit: number;
  get: (r: Results) => number | undefined;
}

const NL = 'ctnet-netlink';
const rss = (r: Results, n: number, step: 'apply' | 'watch-add-one'): number | undefined => r[n]?.[NL]?.[step]?.rssMb;

const SPECS: Spec[] = [
  {
    n: 300,
    text: 'cold apply of 300 ≤ 2.5× the physical floor',
    unit: '×',
    limit: 2.5,
    get: (r) => floorRatio(r, 300, NL, 'apply'),
  },
  {
    n: 1000,
    text: 'cold apply of 1000 ≤ 1.6× the physical floor',
    unit: '×',
    limit: 1.6,
    get: (r) => floorRatio(r, 1000, NL, 'apply'),
  },
  { n: 300, text: 'no-op plan of 300 ≤ 0.3 s', unit: 's', limit: 0.3, get: (r) => time(r, 300, NL, 'plan') },
  { n: 1000, text: 'no-op plan of 1000 ≤ 0.6 s', unit: 's', limit: 0.6, get: (r) => time(r, 1000, NL, 'plan') },
  {
    n: 1000,
    text: 'one container added to 1000 (CLI apply) ≤ 0.4 s',
    unit: 's',
    limit: 0.4,
    get: (r) => time(r, 1000, NL, 'add-one'),
  },
  {
    n: 1000,
    text: 'one container added to 1000 under watch (file event to converged) ≤ 0.2 s',
    unit: 's',
    limit: 0.2,
    get: (r) => time(r, 1000, NL, 'watch-add-one'),
  },
  { n: 1000, text: 'destroy of 1000 ≤ 1 s', unit: 's', limit: 1, get: (r) => time(r, 1000, NL, 'destroy') },
  // a missing apply figure at 10,000 is a failed apply: ctnet's runner records only exit 0
  {
    n: 10000,
    text: 'cold apply of 10,000 exits 0',
    unit: 'exit',
    limit: 0,
    get: (r) => (r[10000]?.[NL]?.apply ? 0 : 1),
  },
  {
    n: 10000,
    text: 'cold apply of 10,000 ≤ 11× the time at 1000',
    unit: '×',
    limit: 11,
    get: (r) => {
      const [a, b] = [time(r, 10000, NL, 'apply'), time(r, 1000, NL, 'apply')];
      return a === undefined || b === undefined ? undefined : a / b;
    },
  },
  {
    n: 10000,
    text: 'peak RSS of the cold apply of 10,000 ≤ 1 GB',
    unit: 'MB',
    limit: 1024,
    get: (r) => rss(r, 10000, 'apply'),
  },
  { n: 1000, text: 'watch RSS at 1000 ≤ 150 MB', unit: 'MB', limit: 150, get: (r) => rss(r, 1000, 'watch-add-one') },
];

/** The targets whose N was run with ctnet-netlink; `met` is undefined where a figure is missing. */
export function targets(r: Results, ranNetlink: ReadonlySet<number>): Target[] {
  return SPECS.filter((s) => ranNetlink.has(s.n)).map((s) => {
    const value = s.get(r);
    const base = { n: s.n, text: s.text, unit: s.unit, limit: s.limit };
    return value === undefined ? base : { ...base, value, met: value <= s.limit };
  });
}

// three decimals for ratios: 2.504 must not print as a "met" 2.50
function show(t: Target): string {
  if (t.value === undefined) return 'no figure';
  if (t.unit === '×') return `${t.value.toFixed(3)}×`;
  if (t.unit === 's') return `${t.value.toFixed(3)} s`;
  return t.unit === 'MB' ? `${t.value.toFixed(0)} MB` : `exit ${t.value === 0 ? 0 : 'not 0'}`;
}

const verdict = (t: Target): string => (t.met === undefined ? 'not judged' : t.met ? 'met' : 'not met');

export function printTargets(ts: readonly Target[]): void {
  if (!ts.length) console.log('no target applies to the sizes run (targets are at N = 300, 1000 and 10,000)');
  for (const t of ts) console.log(`target: ${t.text}: ${show(t)} — ${verdict(t)}`);
}
