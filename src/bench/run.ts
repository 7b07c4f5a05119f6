import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchCni } from './cni.js';
import { floorApply, floorDestroy, type Mode } from './floor.js';
import { CONTESTANTS, printTable, printTargets, record, writeJson, type Contestant, type Results } from './report.js';

/**
 * `npm run bench [-- N [RUNS [JSON]]]`: N routed and then N bridged containers in a sandbox
 * namespace, built and torn down by the hand-written `ip -batch` floor and by ctnet with each
 * driver (apply, no-op plan, no-op apply, destroy), contestants alternating, the minimum of RUNS
 * (default 3) kept because these machines are noisy. Prints a table with ratios and writes JSON
 * (default bench-results.json).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const N = Number(process.argv[2] ?? 500);
const RUNS = Number(process.argv[3] ?? 3);
const JSON_PATH = process.argv[4] ?? 'bench-results.json';
const PREFIX = `ctb${process.pid.toString(36)}`;
const HOST = `${PREFIX}-host`;

function manifests(dir: string, mode: Mode): void {
  const net = mode === 'routed'
    ? 'kind: Network\nmetadata: {name: pub}\nspec: {type: routed, subnets: [10.0.0.0/8], uplink: up0}\n'
    : 'kind: Network\nmetadata: {name: lan}\nspec: {type: bridge, subnets: [10.0.0.0/8], gateway: 10.0.0.1, uplink: up0}\n';
  const docs = [`apiVersion: ctnet/v1\n${net}`];
  for (let i = 0; i < N; i++) {
    const n = i + 2;
    const addr = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    const ifs = mode === 'routed' ? `{name: venet0, network: pub, addresses: [${addr}]}` : `{name: eth0, network: lan, addresses: [${addr}/8]}`;
    docs.push(`apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: c${i}}\nspec:\n  netns: ${PREFIX}-c${i}\n  interfaces: [${ifs}]\n`);
  }
  writeFileSync(join(dir, 'all.yaml'), docs.join('---\n'));
}

function timed(driver: string, args: string[], state: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', [join(ROOT, 'bin/ctnet.js'), '--driver', driver, '--host-netns', HOST, '--state-dir', state, '-q', ...args], { encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(args[0] === 'plan' && r.status === 2)) throw new Error(`${driver} ${args[0]} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return s;
}

function cleanup(): void {
  for (const n of readdirSync('/run/netns').filter((x) => x.startsWith(PREFIX))) spawnSync('ip', ['netns', 'del', n]);
}

async function contest(r: Results, mode: Mode, who: Contestant, dir: string): Promise<void> {
  const log = (step: string, s: number): void => {
    record(r, mode, who, step, s);
    console.log(`${mode.padEnd(7)} ${who.padEnd(9)} ${step.padEnd(12)} ${s.toFixed(2).padStart(7)} s`);
  };
  if (who === 'floor') {
    log('apply', await floorApply(HOST, PREFIX, N, mode));
    log('destroy', await floorDestroy(HOST, PREFIX, N, mode));
    return;
  }
  const state = join(dir, `state-${who}`);
  rmSync(state, { recursive: true, force: true });
  log('apply', timed(who, ['apply', dir], state));
  log('plan', timed(who, ['plan', '--detailed-exitcode', dir], state));
  log('apply-noop', timed(who, ['apply', dir], state));
  log('destroy', timed(who, ['destroy'], state));
}

async function main(): Promise<void> {
  const r: Results = {};
  for (const mode of ['routed', 'bridge'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'ctnet-bench-'));
    try {
      spawnSync('ip', ['netns', 'add', HOST]);
      spawnSync('ip', ['-n', HOST, 'link', 'add', 'up0', 'up', 'type', 'veth', 'peer', 'name', 'up0p']);
      manifests(dir, mode);
      for (let run = 0; run < RUNS; run++) {
        // alternate who goes first: a slow moment of the machine does not always hit the same one
        const order = CONTESTANTS.map((_, i) => CONTESTANTS[(i + run) % CONTESTANTS.length]);
        for (const who of order) await contest(r, mode, who, dir);
      }
    } finally {
      cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(r);
  printTargets(r, N);
  writeJson(JSON_PATH, N, RUNS, r);
  benchCni(PREFIX, N);
}

try {
  await main();
} finally {
  cleanup();
}
