import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { registryDir } from '../state/host-registry.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { children, ipBatch, sleep } from './proc.js';

/**
 * Everything the bench makes lives in namespaces whose names start with the run's random prefix
 * and in temporary folders it registers here; `removeAll` deletes both, at the end, on failure
 * and on SIGINT/SIGTERM. The real host's interfaces, routes, sysctls and nftables are never
 * touched: every contestant works inside a namespace that plays the host.
 */
const dirs = new Set<string>();

const ours = (prefix: string): string[] => {
  try {
    return readdirSync('/run/netns').filter((x) => x.startsWith(prefix));
  } catch {
    return [];
  }
};

export function tempDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `ctnet-bench-${label}-`));
  dirs.add(d);
  return d;
}

export function dropDir(d: string): void {
  rmSync(d, { recursive: true, force: true });
  dirs.delete(d);
}

/** The namespace playing the host, with the two uplinks (veths whose peers stay in it). */
export async function makeHost(host: string): Promise<void> {
  await ipBatch(null, [`netns add ${host}`]);
  await ipBatch(host, [
    'link set lo up',
    'link add up0 up type veth peer name up0p',
    'link add up1 up type veth peer name up1p',
  ]);
}

/**
 * Deletes every namespace starting with `prefix` and waits until `ip netns list` shows none of
 * them; then waits (at most 5 s) for a quarter second in which the CPUs are mostly idle, because
 * the kernel frees deleted namespaces in the background and that work would be charged to
 * whoever runs next.
 */
export async function clearNamespaces(prefix: string): Promise<void> {
  const left = ours(prefix);
  // gone with the namespaces: a later one may get the same identity, and must not inherit this one's
  const registries = registriesOf(left);
  if (left.length)
    await ipBatch(
      null,
      left.map((n) => `netns del ${n}`),
    ).catch(() => undefined);
  for (let t = 0; ours(prefix).length && t < 200; t++) await sleep(50);
  if (ours(prefix).length) throw new Error(`namespaces still there: ${ours(prefix).slice(0, 5).join(' ')}`);
  for (const d of registries) rmSync(d, { recursive: true, force: true });
  await quiet(5000);
}

const idleTicks = (): [number, number] => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return [f[3] + f[4], f.reduce((a, b) => a + b, 0)];
};

async function quiet(maxMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < maxMs) {
    const [i0, a0] = idleTicks();
    await sleep(250);
    const [i1, a1] = idleTicks();
    if (a1 > a0 && (i1 - i0) / (a1 - a0) >= 0.8) return;
  }
}

/** The host registries ctnet keeps for namespaces playing the host: keyed by identity, so found before they go. */
const registriesOf = (names: readonly string[]): string[] =>
  names.map(registryDir).filter((d): d is string => d !== undefined);

/** Synchronous, for exit paths: stop children, delete our namespaces and folders. */
export function removeAll(prefix: string): void {
  for (const c of children) c.kill('SIGKILL');
  const left = ours(prefix);
  const registries = registriesOf(left);
  if (left.length) spawnSync('ip', ['-batch', '-'], { input: left.map((n) => `netns del ${n}`).join('\n') + '\n' });
  for (const d of [...dirs, ...registries]) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

/** On Ctrl-C or SIGTERM: clean up, then exit as a signalled process would. */
export function cleanupOnSignals(prefix: string): void {
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(sig, () => {
      console.error(`\n${sig}: removing the bench's namespaces (${prefix}*)`);
      removeAll(prefix);
      process.exit(code);
    });
  }
}
