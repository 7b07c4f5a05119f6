import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from './layout.js';
import { writeAdded, writeManifests } from './manifests.js';
import { cleanupOnSignals, clearNamespaces, dropDir, makeHost, removeAll, tempDir } from './sandbox.js';
import { reconcile } from '../engine/reconcile.js';
import { loadDesired } from '../engine/load.js';
import { makeDriver } from '../driver/select.js';
import { observeRequestFor } from '../observe/observe.js';
import { loadState } from '../state/store.js';
import { plan } from '../plan/plan.js';

/**
 * `node dist/bench/plan-within.js [N] [runs]`: what planning only the host and the namespaces a
 * `watch` run read (one container added to N) saves over planning everything. The benchmark's
 * layout is applied to a sandbox host, one container is added to the manifests, and both plans
 * are made from the same inputs, alternating, `runs` times each; they must be equal.
 */
const N = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 15);
const PREFIX = `ctbpw${randomBytes(3).toString('hex')}`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  cleanupOnSignals(PREFIX);
  const lay = layout(PREFIX, 'p', N);
  const dir = tempDir('plan-within');
  const [manifests, stateDir] = [join(dir, 'm'), join(dir, 'state')];
  try {
    await makeHost(lay.host);
    mkdirSync(manifests);
    writeManifests(manifests, lay);
    const first = await reconcile({ mode: 'apply', paths: [manifests], stateDir, hostNetns: lay.host });
    if (first.outcome !== 'applied') throw new Error(`apply: ${first.errors.map((e) => e.message).join('; ')}`);
    const added = writeAdded(manifests, lay);
    const l = await loadDesired([manifests]);
    if (!l.ok) throw new Error(l.errors.map((e) => e.message).join('; '));
    const { desired } = l.value;
    const inventory = loadState(stateDir).inventory;
    const driver = makeDriver('netlink', lay.host);
    const observed = await driver.observe(await observeRequestFor(driver, desired, inventory));
    const within = { within: new Set([added.ns]) };
    const times = { full: [] as number[], part: [] as number[] };
    let same = true;
    for (let r = 0; r < RUNS; r++) {
      for (const k of r % 2 ? (['part', 'full'] as const) : (['full', 'part'] as const)) {
        const t0 = performance.now();
        const p = plan(desired, observed, inventory, k === 'part' ? within : {});
        times[k].push(performance.now() - t0);
        if (k === 'part') same &&= JSON.stringify(p) === JSON.stringify(plan(desired, observed, inventory));
      }
    }
    console.log(`N = ${N}, one container added, ${RUNS} runs each (median, minimum)`);
    console.log(`whole plan:      ${ms(median(times.full))}, ${ms(Math.min(...times.full))}`);
    console.log(`restricted plan: ${ms(median(times.part))}, ${ms(Math.min(...times.part))}`);
    console.log(`ratio of medians: ${(median(times.part) / median(times.full)).toFixed(2)}; plans equal: ${same}`);
  } finally {
    await clearNamespaces(lay.nsPrefix);
    dropDir(dir);
  }
}

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    removeAll(PREFIX);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
