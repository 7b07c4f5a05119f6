import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchCni } from './cni.js';

/**
 * `npm run bench [-- N]`: wall time of ctnet on N routed and N bridged containers in a sandbox
 * namespace (KERNEL-COSTS.md measures the kernel floor the same way). Prints one line per step.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const N = Number(process.argv[2] ?? 500);
const PREFIX = `ctb${process.pid.toString(36)}`;
const HOST = `${PREFIX}-host`;

function manifests(dir: string, mode: 'routed' | 'bridge'): void {
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

function timed(label: string, args: string[], state: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', [join(ROOT, 'bin/ctnet.js'), '--host-netns', HOST, '--state-dir', state, '-q', ...args], { encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(args[0] === 'plan' && r.status === 2)) throw new Error(`${label} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  console.log(`${label.padEnd(34)} ${s.toFixed(2).padStart(7)} s`);
  return s;
}

function cleanup(): void {
  for (const n of readdirSync('/run/netns').filter((x) => x.startsWith(PREFIX))) spawnSync('ip', ['netns', 'del', n]);
}

function run(mode: 'routed' | 'bridge'): void {
  const dir = mkdtempSync(join(tmpdir(), 'ctnet-bench-'));
  try {
    spawnSync('ip', ['netns', 'add', HOST]);
    spawnSync('ip', ['-n', HOST, 'link', 'add', 'up0', 'up', 'type', 'veth', 'peer', 'name', 'up0p']);
    manifests(dir, mode);
    const state = join(dir, 'state');
    timed(`${mode}: apply ${N} containers`, ['apply', dir], state);
    timed(`${mode}: plan, nothing to do`, ['plan', '--detailed-exitcode', dir], state);
    timed(`${mode}: apply again, nothing to do`, ['apply', dir], state);
    timed(`${mode}: destroy ${N} containers`, ['destroy'], state);
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  run('routed');
  run('bridge');
  benchCni(PREFIX, N);
} finally {
  cleanup();
}
