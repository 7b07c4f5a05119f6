import { writeFileSync } from 'node:fs';

/** Seconds per step, per contestant, per mode: the minimum over the runs. */
export type Results = Record<string, Record<string, Record<string, number>>>;

export const CONTESTANTS = ['floor', 'iproute2', 'netlink'] as const;
export type Contestant = (typeof CONTESTANTS)[number];

export function record(r: Results, mode: string, who: string, step: string, s: number): void {
  const m = (r[mode] ??= {});
  const c = (m[who] ??= {});
  c[step] = Math.min(c[step] ?? Infinity, s);
}

const cell = (s: number | undefined): string => (s === undefined ? '—' : `${s.toFixed(2)} s`).padStart(9);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`).padStart(8);

/**
 * One line per mode and step: each contestant's time, then netlink against the floor (apply and
 * destroy have a floor) and against the iproute2 driver.
 */
export function printTable(r: Results): void {
  console.log(`\n${'mode'.padEnd(7)} ${'step'.padEnd(12)} ${CONTESTANTS.map((c) => c.padStart(9)).join(' ')} ${'nl/floor'.padStart(8)} ${'nl/ip'.padStart(8)}`);
  for (const [mode, m] of Object.entries(r)) {
    const steps = [...new Set(Object.values(m).flatMap((c) => Object.keys(c)))];
    for (const step of steps) {
      const t = (who: string): number | undefined => m[who]?.[step];
      console.log(`${mode.padEnd(7)} ${step.padEnd(12)} ${CONTESTANTS.map((c) => cell(t(c))).join(' ')} ${ratio(t('netlink'), t('floor'))} ${ratio(t('netlink'), t('iproute2'))}`);
    }
  }
}

/** The target for a cold apply at 300: netlink ≤ 0.8× the floor, met or not, per mode. */
export function printTargets(r: Results, n: number): void {
  for (const [mode, m] of Object.entries(r)) {
    const a = m.netlink?.apply;
    const f = m.floor?.apply;
    if (a !== undefined && f !== undefined) console.log(`target ${mode}: cold apply of ${n} ≤ 0.8× the ip -batch floor: ${(a / f).toFixed(2)}× — ${a / f <= 0.8 ? 'met' : 'not met'}`);
    const p = m.netlink?.plan;
    if (p !== undefined) console.log(`target ${mode}: no-op plan of ${n} ≤ 0.3 s: ${p.toFixed(2)} s — ${p <= 0.3 ? 'met' : 'not met'}`);
  }
}

export function writeJson(path: string, n: number, runs: number, r: Results): void {
  writeFileSync(path, JSON.stringify({ n, runs, unit: 'seconds, minimum of the runs', date: new Date().toISOString(), results: r }, null, 2) + '\n');
  console.log(`\nwritten: ${path}`);
}
