import type { StepName, StepResult } from './contestant.js';

/**
 * The figures kept: per N, per contestant, per step, the minimum wall time over the runs (these
 * machines are noisy: the minimum is the run the machine disturbed least) and the maximum peak
 * RSS over the runs (the worst case is what a memory target is about). A step that failed is
 * remembered too: a target may be about finishing at all.
 */
export interface Cell {
  s: number;
  rssMb?: number;
  runs: number;
}

/** Partial at every level: a contestant may be skipped at an N, and a step may not have run. */
export type Results = Partial<Record<number, Partial<Record<string, Partial<Record<StepName, Cell>>>>>>;

export const CONTESTANT_ORDER = [
  'ctnet-netlink',
  'ctnet-iproute2',
  'physical',
  'ip-batch',
  'ip-per-op',
  'cni',
  'netavark',
] as const;
/** The peers ctnet-netlink's apply and destroy are compared with. */
export const PEERS = ['ip-batch', 'ip-per-op', 'cni', 'netavark', 'ctnet-iproute2'] as const;

/**
 * The physical floor's step each step is measured against: a no-op plan or apply cannot do less
 * than read every namespace's tables, and a container added under watch is a container added.
 */
export const FLOOR_STEP: Partial<Record<StepName, StepName>> = {
  apply: 'apply',
  plan: 'plan',
  'apply-noop': 'plan',
  'add-one': 'add-one',
  'watch-add-one': 'add-one',
  destroy: 'destroy',
};

export function record(r: Results, n: number, who: string, x: StepResult): void {
  const c = ((r[n] ??= {})[who] ??= {});
  const old = c[x.step];
  const rss = Math.max(old?.rssMb ?? 0, x.rssMb ?? 0);
  c[x.step] = { s: Math.min(old?.s ?? Infinity, x.s), ...(rss > 0 ? { rssMb: rss } : {}), runs: (old?.runs ?? 0) + 1 };
}

export const time = (r: Results, n: number, who: string, step: StepName): number | undefined => r[n]?.[who]?.[step]?.s;

const divide = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || b === 0 ? undefined : a / b;

/** ctnet-netlink's time divided by the peer's, for a step both ran. */
export const ratio = (r: Results, n: number, peer: string, step: StepName): number | undefined =>
  divide(time(r, n, 'ctnet-netlink', step), time(r, n, peer, step));

/** A contestant's step divided by the physical floor's matching step, in the same run. */
export function floorRatio(r: Results, n: number, who: string, step: StepName): number | undefined {
  const f = FLOOR_STEP[step];
  return f && divide(time(r, n, who, step), time(r, n, 'physical', f));
}

/** The largest peak RSS of any step of a contestant at N. */
export function peakRss(r: Results, n: number, who: string): number | undefined {
  const vals = Object.values(r[n]?.[who] ?? {}).flatMap((c) => (c.rssMb === undefined ? [] : [c.rssMb]));
  return vals.length ? Math.max(...vals) : undefined;
}

export function ratios(r: Results, n: number): Record<string, Record<string, number | undefined>> {
  const out: Record<string, Record<string, number | undefined>> = {};
  for (const step of ['apply', 'destroy'] as const)
    out[step] = Object.fromEntries(PEERS.map((p) => [p, ratio(r, n, p, step)]));
  return out;
}

export type FloorRatios = Partial<Record<string, Partial<Record<StepName, number>>>>;

/** Every contestant's every step as a ratio to the physical floor, where the floor has that step. */
export function floorRatios(r: Results, n: number): FloorRatios {
  const out: FloorRatios = {};
  for (const who of CONTESTANT_ORDER) {
    const steps = who === 'physical' ? undefined : r[n]?.[who];
    if (!steps) continue;
    const row: Partial<Record<StepName, number>> = {};
    for (const s of Object.keys(steps) as StepName[]) {
      const v = floorRatio(r, n, who, s);
      if (v !== undefined) row[s] = v;
    }
    if (Object.keys(row).length) out[who] = row;
  }
  return out;
}
