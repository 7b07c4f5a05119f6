import type { StepName, StepResult } from './contestant.js';

/**
 * The figures kept: per N, per contestant, per step, the minimum wall time over the runs (these
 * machines are noisy: the minimum is the run the machine disturbed least) and the maximum peak
 * RSS over the runs (the worst case is what a memory target is about).
 */
export interface Cell {
  s: number;
  rssMb?: number;
  runs: number;
}

/** Partial at every level: a contestant may be skipped at an N, and a step may not have run. */
export type Results = Partial<Record<number, Partial<Record<string, Partial<Record<StepName, Cell>>>>>>;

export const CONTESTANT_ORDER = ['ctnet-netlink', 'ctnet-iproute2', 'floor', 'ip-per-op', 'cni', 'netavark'] as const;
/** The peers ctnet-netlink's apply and destroy are compared with. */
export const PEERS = ['floor', 'ip-per-op', 'cni', 'netavark', 'ctnet-iproute2'] as const;

export function record(r: Results, n: number, who: string, x: StepResult): void {
  const c = ((r[n] ??= {})[who] ??= {});
  const old = c[x.step];
  const rss = Math.max(old?.rssMb ?? 0, x.rssMb ?? 0);
  c[x.step] = { s: Math.min(old?.s ?? Infinity, x.s), ...(rss > 0 ? { rssMb: rss } : {}), runs: (old?.runs ?? 0) + 1 };
}

export const time = (r: Results, n: number, who: string, step: StepName): number | undefined => r[n]?.[who]?.[step]?.s;

/** ctnet-netlink's time divided by the peer's, for a step both ran. */
export function ratio(r: Results, n: number, peer: string, step: StepName): number | undefined {
  const a = time(r, n, 'ctnet-netlink', step);
  const b = time(r, n, peer, step);
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
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
