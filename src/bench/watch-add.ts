import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reporter } from './contestant.js';
import { ctnet } from './ctnet.js';
import type { Ct, Layout } from './layout.js';
import { writeAdded, writeManifests } from './manifests.js';
import { children, run, sleep } from './proc.js';
import { dropDir, tempDir } from './sandbox.js';

/**
 * One container added to N under a running `ctnet watch` (netlink), which knows what changed:
 * from the new file written to its host veth and its address inside the container existing.
 * The watcher settles after its start (the kernel keeps reporting for a while after a big apply:
 * IPv6 DAD on every new link) and between additions; each run adds another container file.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const PROBE = pathToFileURL(join(import.meta.dirname, 'rss-probe.js')).href;

const cpuOf = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

/** Waits until the watcher used under 2 % CPU over a second, at most `maxMs`. */
async function settled(pid: number, maxMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < maxMs) {
    const c0 = cpuOf(pid);
    await sleep(1000);
    if (cpuOf(pid) - c0 < 0.02) return;
  }
}

async function built(host: string, c: Ct): Promise<boolean> {
  if ((await run('ip', ['-n', host, 'link', 'show', 'dev', c.veth])).code !== 0) return false;
  return (await run('ip', ['-n', c.ns, '-4', 'addr', 'show', 'dev', c.ifname])).out.includes(`${c.addr}/`);
}

async function until(host: string, c: Ct, ms: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  while (!(await built(host, c))) {
    if (Number(process.hrtime.bigint() - t0) / 1e6 > ms)
      throw new Error(`watch: ${c.name} not built after ${ms / 1000} s`);
    await sleep(5);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function watchAddOne(lay: Layout, runs: number, report: Reporter): Promise<void> {
  const dir = tempDir('watch');
  const m = join(dir, 'm');
  const state = join(dir, 'state');
  mkdirSync(m);
  writeManifests(m, lay);
  const rssFile = join(dir, 'rss');
  const argv = [
    '--import',
    PROBE,
    join(ROOT, 'bin/ctnet.js'),
    '--host-netns',
    lay.host,
    '--state-dir',
    state,
    '-q',
    'watch',
    m,
    '--resync',
    '600',
    '--debounce',
    '100',
  ];
  const w: ChildProcess = spawn(process.execPath, argv, {
    stdio: 'ignore',
    env: { ...process.env, CTNET_BENCH_RSS_FILE: rssFile },
  });
  children.add(w);
  const exited = new Promise((r) => w.once('exit', r));
  const times: number[] = [];
  try {
    await until(lay.host, lay.cts[lay.n - 1], 60_000 + lay.n * 200);
    await settled(w.pid!, 30_000);
    for (let r = 0; r < runs; r++) {
      const added = writeAdded(m, lay, lay.n + r, `add${r}.yaml`);
      times.push(await until(lay.host, added, 30_000));
      await settled(w.pid!, 10_000);
    }
  } finally {
    w.kill('SIGTERM');
    await exited;
    children.delete(w);
    await ctnet({ driver: 'netlink', host: lay.host, state }, ['destroy']).catch(() => undefined);
    let rssMb: number | undefined;
    try {
      rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    } catch {
      rssMb = undefined;
    }
    for (const s of times) report({ step: 'watch-add-one', s, rssMb });
    dropDir(dir);
  }
}
