import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { cni } from './cni.js';
import type { Contestant, StepResult } from './contestant.js';
import { ctnetIproute2, ctnetNetlink } from './ctnet.js';
import { ipBatchFloor } from './ip-batch.js';
import { ipPerOp } from './ip-per-op.js';
import { lanCount, layout, type Layout } from './layout.js';
import { netavark } from './netavark.js';
import { buildFloor, physicalFloor } from './physical-floor.js';
import { ensurePeers } from './peers.js';
import { printNotes, printTable, writeJson } from './report.js';
import { record, type Results } from './results.js';
import { cleanupOnSignals, clearNamespaces, makeHost, removeAll } from './sandbox.js';
import { printTargets, targets } from './targets.js';
import { watchAddOne } from './watch-add.js';

/**
 * `npm run bench [-- --n 100,300] [--runs 3] [--json FILE] [--only a,b]`: the benchmark (issues 15, 24).
 * For each N, every contestant builds and tears down the same N containers (half routed, half
 * bridged) in sandbox namespaces, RUNS times, the order rotating from run to run so a slow
 * moment of the machine does not always hit the same one; the minimum time of each step is kept.
 * Then a running `ctnet watch` gets one container added. Tables, target lines and a JSON file.
 */
const ALL: Contestant[] = [ctnetNetlink, ctnetIproute2, physicalFloor, ipBatchFloor, ipPerOp, cni, netavark];

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '100,300' },
    runs: { type: 'string', default: '3' },
    json: { type: 'string', default: 'bench-results.json' },
    only: { type: 'string' },
  },
});
const SIZES = opt.n.split(',').map(Number);
const RUNS = Number(opt.runs);
if (SIZES.some((n) => !Number.isInteger(n) || n < 2) || !Number.isInteger(RUNS) || RUNS < 1) {
  console.error(
    'usage: run.js [--n 100,300] [--runs 3] [--json FILE] [--only ctnet-netlink,ctnet-iproute2,physical,ip-batch,ip-per-op,cni,netavark,watch]',
  );
  process.exit(64);
}
const ONLY = opt.only?.split(',') ?? [...ALL.map((c) => c.name), 'watch'];
const PREFIX = `ctb${randomBytes(3).toString('hex')}`;

function chooseContestants(skipped: Record<string, string>): Contestant[] {
  ensurePeers(ONLY, skipped);
  if (ONLY.includes('physical')) {
    const built = buildFloor();
    if (!built.ok) {
      skipped.physical = `the physical floor could not be built: ${built.why}`;
      console.log(`physical: skipped, ${skipped.physical}; the ratios to it are not judged`);
    }
  }
  return ALL.filter((c) => ONLY.includes(c.name) && !skipped[c.name]);
}

async function once(
  c: Contestant,
  n: number,
  label: string,
  r: Results,
  body: (lay: Layout, report: (x: StepResult) => void) => Promise<void>,
): Promise<void> {
  const report = (x: StepResult): void => {
    record(r, n, c.name, x);
    const rss = x.rssMb === undefined ? '' : `  ${x.rssMb.toFixed(0).padStart(4)} MB`;
    console.log(`N=${n} ${label} ${c.name.padEnd(15)} ${x.step.padEnd(14)} ${x.s.toFixed(3).padStart(8)} s${rss}`);
  };
  const lay = layout(PREFIX, c.tag, n);
  try {
    await makeHost(lay.host);
    await body(lay, report);
  } catch (e) {
    console.log(`N=${n} ${label} ${c.name}: failed, its figures of this run are missing: ${(e as Error).message}`);
  } finally {
    await clearNamespaces(lay.nsPrefix);
  }
}

/** The peers' configurations hold one bridge, which takes at most 1023 ports: not past 2000 containers. */
function fitsOneBridge(c: Contestant, n: number): boolean {
  if (!['cni', 'netavark'].includes(c.name) || lanCount(n) === 1) return true;
  console.log(`N=${n} ${c.name}: skipped, its configuration has one bridge, and Linux takes at most 1023 ports on one`);
  return false;
}

async function main(): Promise<void> {
  cleanupOnSignals(PREFIX);
  if (RUNS < 3) console.log(`note: --runs ${RUNS}; the targets ask for the minimum of at least 3`);
  const skipped: Record<string, string> = {};
  const contestants = chooseContestants(skipped);
  console.log(
    `bench: N = ${SIZES.join(', ')}, ${RUNS} run(s), contestants ${contestants.map((c) => c.name).join(', ')}; namespaces ${PREFIX}*`,
  );
  const r: Results = {};
  for (const n of SIZES) {
    const here = contestants.filter((c) => fitsOneBridge(c, n));
    for (let run = 0; run < RUNS; run++) {
      const order = here.map((_, i) => here[(i + run) % here.length]);
      for (const c of order) await once(c, n, `run ${run + 1}/${RUNS}`, r, (lay, rep) => c.run(lay, rep));
    }
    if (ONLY.includes('watch')) {
      const w: Contestant = { ...ctnetNetlink, tag: 'wa' };
      await once(w, n, 'watch', r, (lay, rep) => watchAddOne(lay, RUNS, rep));
    }
    printTable(r, n);
  }
  printNotes();
  const ts = targets(r, new Set(contestants.some((c) => c.name === 'ctnet-netlink') ? SIZES : []));
  console.log('');
  printTargets(ts);
  writeJson(opt.json, { sizes: SIZES, runs: RUNS, contestants: contestants.map((c) => c.name), skipped }, r, ts);
}

try {
  await main();
} catch (e) {
  console.error(`bench failed: ${(e as Error).stack}`);
  process.exitCode = 1;
} finally {
  removeAll(PREFIX);
}
