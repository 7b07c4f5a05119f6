import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REVERT_CASES, type RevertCase } from './cases.js';
import { upToCheckpoint } from './world.js';
import { registryDir } from '../../src/state/host-registry.js';

/**
 * Takes every revert case's two snapshots from the real kernel: `GENERATE_REVERT=1 npx vitest run
 * test/golden-revert/generate.test.ts` (or `=<case>,<case>`), then `UPDATE_GOLDEN=1 npx vitest run
 * test/unit/golden-revert.test.ts`. Fixed names (prefix `grev-`, a state dir of its own) keep the
 * snapshots stable; they are refused if they already exist. That the revert also works on the
 * real kernel, `apply --atomic`, is test/integration/atomic-golden.test.ts.
 */
const HERE = resolve(import.meta.dirname);
// CTNET_BIN: a private build (`tsc --outDir`), so a half-edited tree or a shared dist/ is not used
const BIN = process.env.CTNET_BIN ?? resolve(HERE, '../../bin/ctnet.js');
const PREFIX = 'grev-';
const HOST = `${PREFIX}host`;
const STATE = '/tmp/ctnet-golden-revert-state';

function ctnet(
  args: readonly string[],
  env: Record<string, string> = {},
): { code: number | null; out: string; err: string } {
  const r = spawnSync('node', [BIN, '--host-netns', HOST, '--state-dir', STATE, '--no-color', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(args: readonly string[]): string {
  const r = ctnet(args);
  if (r.code !== 0 && r.code !== 2) throw new Error(`ctnet ${args.join(' ')}: ${r.err}`);
  return r.out;
}

/**
 * A snapshot holds every net.* sysctl (and which the kernel keeps per namespace) and names every
 * namespace on the machine; the cases need only the sysctls ctnet touches, and only their own
 * namespaces (other work's come and go).
 */
function trimmed(json: string): string {
  const snap = JSON.parse(json);
  const keep = /ip_forward|forwarding$|proxy_ndp|arp_ignore|promote_secondaries/;
  const o = snap.observed;
  const only = (sysctls: Record<string, string>) =>
    Object.fromEntries(Object.entries(sysctls).filter(([k]) => keep.test(k)));
  o.host.sysctls = only(o.host.sysctls);
  for (const ns of Object.values<{ sysctls: Record<string, string> }>(o.namespaces)) ns.sysctls = only(ns.sysctls);
  if (o.capabilities?.netnsSysctls)
    o.capabilities.netnsSysctls = o.capabilities.netnsSysctls.filter((k: string) => keep.test(k));
  const ours = (n: string): boolean => n.startsWith(PREFIX);
  o.netnsNames = o.netnsNames.filter(ours);
  if (o.netnsIdentity) o.netnsIdentity = Object.fromEntries(Object.entries(o.netnsIdentity).filter(([n]) => ours(n)));
  return JSON.stringify(snap, null, 1) + '\n';
}

function cleanup(): void {
  // the host-wide registry of the namespace playing the host goes with it
  const registry = registryDir(HOST);
  if (registry) rmSync(registry, { recursive: true, force: true });
  for (const n of readdirSync('/run/netns').filter((x) => x.startsWith(PREFIX))) spawnSync('ip', ['netns', 'del', n]);
  rmSync(STATE, { recursive: true, force: true });
}

function generate(c: RevertCase): void {
  const dir = join(HERE, c.name);
  try {
    const args = upToCheckpoint(c, dir, PREFIX, (before) => ok(['-q', 'apply', before]));
    const manifests = join(dir, 'manifests');
    // the checkpoint is what the failing run observes first: the kernel as its manifests look at it
    writeFileSync(join(dir, 'checkpoint.json'), trimmed(ok(['snapshot', manifests])));
    const r = ctnet(['-q', ...args], { CTNET_FAIL_OP: c.fail });
    if (r.code !== 1 || !r.err.includes('refused on purpose'))
      throw new Error(`ctnet ${args.join(' ')} with CTNET_FAIL_OP=${c.fail}: exit ${r.code}\n${r.err}`);
    writeFileSync(join(dir, 'fail-op'), `${c.fail}\n`);
    writeFileSync(join(dir, 'failure.txt'), r.err.replaceAll(dir, '<case>'));
    if (c.run) writeFileSync(join(dir, 'run'), `${c.run.join(' ')}\n`);
    else rmSync(join(dir, 'run'), { force: true });
    // after the failure: the kernel as the run left it, and the state it recorded (its intent)
    writeFileSync(join(dir, 'observed.json'), trimmed(ok(['snapshot', manifests])));
    ok(['-q', 'destroy']);
  } finally {
    cleanup();
  }
}

describe.runIf(process.env.GENERATE_REVERT)('generate golden revert snapshots from the real kernel', () => {
  it('has no leftovers of an earlier run', () => {
    expect(readdirSync('/run/netns').filter((x) => x.startsWith(PREFIX))).toEqual([]);
  });
  // GENERATE_REVERT=1 re-takes every case; GENERATE_REVERT=<name>[,<name>...] only those
  const only = (process.env.GENERATE_REVERT ?? '').split(',');
  for (const c of REVERT_CASES.filter((x) => only.includes('1') || only.includes(x.name)))
    it(c.name, () => generate(c), 60_000);
});
