import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CASES, type GoldenCase } from './cases.js';

/**
 * Re-takes every case's observed.json from the real kernel: `GENERATE_GOLDEN=1 npx vitest run
 * test/golden/generate.test.ts` (or `=<case>` for one), then `UPDATE_GOLDEN=1 npx vitest run test/unit/golden.test.ts`.
 * Fixed names (prefix `gold-`) keep snapshots stable; they are refused if they already exist.
 */
const HERE = resolve(import.meta.dirname);
// CTNET_BIN: a private build (`tsc --outDir`), so a half-edited tree or a shared dist/ is not used
const BIN = process.env.CTNET_BIN ?? resolve(HERE, '../../bin/ctnet.js');
const HOST = 'gold-host';
const sub = (t: string): string => t.replaceAll('@host', HOST).replaceAll('@', 'gold-');

function sh(cmd: string): void {
  execFileSync('sh', ['-ec', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function ctnet(state: string, ...args: string[]): string {
  const r = spawnSync('node', [BIN, '--host-netns', HOST, '--state-dir', state, '--no-color', ...NODE, ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0 && r.status !== 2) throw new Error(`ctnet ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A snapshot holds every host net.* sysctl; the cases need only those ctnet touches. */
function trimSysctls(snap: any): any {
  const keep = /ip_forward|\.forwarding$|proxy_ndp|arp_ignore|promote_secondaries/;
  const host = snap.observed.host;
  host.sysctls = Object.fromEntries(Object.entries(host.sysctls).filter(([k]) => keep.test(k)));
  return snap;
}

function cleanup(): void {
  for (const n of readdirSync('/run/netns').filter((x) => x.startsWith('gold-'))) spawnSync('ip', ['netns', 'del', n]);
}

function writeManifests(dir: string, files: Record<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), sub(text));
}

let NODE: string[] = [];

function generate(c: GoldenCase): void {
  NODE = c.node ? ['--node', c.node] : [];
  const tmp = mkdtempSync(join(tmpdir(), 'ctnet-gold-'));
  try {
    sh(`ip netns add ${HOST}; ip -n ${HOST} link set lo up`);
    sh(`ip -n ${HOST} link add enp0s5 up type veth peer name p-enp0s5; ip -n ${HOST} link set p-enp0s5 up`);
    sh(`ip -n ${HOST} link add enp1s0 up type veth peer name p-enp1s0; ip -n ${HOST} link set p-enp1s0 up`);
    sh(`ip -n ${HOST} addr add 192.168.200.1/24 dev enp0s5`);
    // a fixed state dir: the instance id (a digest of its path) and so every marker stays the same
    const state = '/tmp/ctnet-golden-state';
    rmSync(state, { recursive: true, force: true });
    if (c.base) {
      writeManifests(join(tmp, 'base'), c.base);
      ctnet(state, '-q', 'apply', join(tmp, 'base'));
    }
    for (const d of c.drift ?? []) sh(sub(d));
    if (c.lostState) rmSync(join(state, 'state.json'), { force: true });
    const dir = join(HERE, c.name);
    writeManifests(join(dir, 'manifests'), c.manifests);
    if (c.adopt) writeFileSync(join(dir, 'adopt'), 'plan with --adopt\n');
    if (c.node) writeFileSync(join(dir, 'node'), `${c.node}\n`);
    if (c.lostState)
      writeFileSync(join(dir, 'lost-state'), 'state.json lost: the test rebuilds the inventory from the marks\n');
    writeFileSync(
      join(dir, 'observed.json'),
      JSON.stringify(trimSysctls(JSON.parse(ctnet(state, 'snapshot', join(dir, 'manifests')))), null, 1) + '\n',
    );
    if (c.base) ctnet(state, '-q', 'destroy');
  } finally {
    cleanup();
    rmSync(tmp, { recursive: true, force: true });
    rmSync('/tmp/ctnet-golden-state', { recursive: true, force: true });
  }
}

describe.runIf(process.env.GENERATE_GOLDEN)('generate golden snapshots from the real kernel', () => {
  it('has no leftovers of an earlier run', () => {
    expect(readdirSync('/run/netns').filter((x) => x.startsWith('gold-'))).toEqual([]);
  });
  // GENERATE_GOLDEN=1 re-takes every case; GENERATE_GOLDEN=<name>[,<name>...] only those
  const only = (process.env.GENERATE_GOLDEN ?? '').split(',');
  for (const c of CASES.filter((x) => only.includes('1') || only.includes(x.name)))
    it(c.name, () => generate(c), 60_000);
});
