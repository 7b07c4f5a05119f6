import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `node dist/bench/watch.js [N...]`: a real `ctnet watch` over N bridged containers in a sandbox
 * namespace (default N = 10 and 500): the time from a manifest edit (one container added) to a
 * converged kernel, from hand-made drift (a host veth end deleted) to its repair, and the
 * watcher's idle CPU and RSS. The resync is set long, so only file and kernel events count.
 * Everything carries a random prefix and is removed at the end, on failure too.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const PREFIX = `ctw${randomBytes(3).toString('hex')}`;
const HOST = `${PREFIX}-host`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const ct = (i: number): string =>
  `apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: c${i}}\nspec: {netns: ${PREFIX}-c${i}, interfaces: [{name: eth0, network: lan, addresses: [10.${((i + 2) >> 16) & 255}.${((i + 2) >> 8) & 255}.${(i + 2) & 255}/8]}]}\n`;
const exists = (link: string): boolean => spawnSync('ip', ['-n', HOST, 'link', 'show', 'dev', link]).status === 0;
const vethOf = (i: number): string => `ve-c${i}-eth0`;

async function until(cond: () => boolean, ms: number): Promise<number> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error('timed out');
    await sleep(5);
  }
  return (performance.now() - t0) / 1000;
}

/** CPU seconds (user + system) a process has used so far. */
const cpuOf = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const rssOf = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function run(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ctnet-wbench-'));
  let w: ChildProcess | undefined;
  try {
    spawnSync('ip', ['netns', 'add', HOST]);
    writeFileSync(
      join(dir, 'lan.yaml'),
      'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec: {type: bridge, subnets: [10.0.0.0/8], gateway: 10.0.0.1}\n',
    );
    writeFileSync(join(dir, 'cts.yaml'), Array.from({ length: n }, (_, i) => ct(i)).join('---\n'));
    w = spawn(
      'node',
      [
        join(ROOT, 'bin/ctnet.js'),
        '--host-netns',
        HOST,
        '--state-dir',
        `${dir}-state`,
        '-q',
        'watch',
        dir,
        '--resync',
        '600',
        '--debounce',
        '100',
      ],
      { stdio: 'ignore' },
    );
    await until(() => exists(vethOf(n - 1)), 120_000);
    // the kernel keeps reporting for a while after a big apply (IPv6 DAD on every new link): let it settle
    await sleep(20_000);
    const c0 = cpuOf(w.pid!);
    await sleep(10_000);
    const idle = ((cpuOf(w.pid!) - c0) / 10) * 100;
    const rss = rssOf(w.pid!);
    writeFileSync(join(dir, 'new.yaml'), ct(n));
    const edit = await until(() => exists(vethOf(n)), 30_000);
    spawnSync('ip', ['-n', HOST, 'link', 'del', vethOf(0)]);
    const drift = await until(() => exists(vethOf(0)), 30_000);
    console.log(
      `N=${String(n).padEnd(4)} edit → converged ${edit.toFixed(2)} s   drift → repaired ${drift.toFixed(2)} s   idle CPU ${idle.toFixed(2)} %   RSS ${rss.toFixed(0)} MB`,
    );
  } finally {
    if (w) {
      w.kill('SIGTERM');
      await new Promise((r) => w!.once('exit', r));
    }
    spawnSync('node', [
      join(ROOT, 'bin/ctnet.js'),
      '--host-netns',
      HOST,
      '--state-dir',
      `${dir}-state`,
      '-q',
      'destroy',
    ]);
    for (const ns of readdirSync('/run/netns').filter((x) => x.startsWith(PREFIX)))
      spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-state`, { recursive: true, force: true });
  }
}

for (const n of SIZES.length ? SIZES : [10, 500]) await run(n);
