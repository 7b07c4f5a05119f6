import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The same work done by the reference CNI plugins (Debian's containernetworking-plugins): one
 * plugin process per container, as a runtime calls them. Namespaces are made beforehand in one
 * batch and not timed, so the figures are the plugins' own.
 */
const CNI_PATH = '/usr/lib/cni';

function conf(type: 'ptp' | 'bridge', dataDir: string): string {
  const ipam = { type: 'host-local', subnet: '10.0.0.0/8', dataDir };
  const extra = type === 'bridge' ? { bridge: 'cnibr0', isGateway: true } : {};
  return JSON.stringify({ cniVersion: '1.0.0', name: `bench-${type}`, type, ipMasq: false, ...extra, ipam });
}

function loop(cmd: 'ADD' | 'DEL', type: string, host: string, names: readonly string[], config: string): number {
  const t0 = process.hrtime.bigint();
  for (const [i, ns] of names.entries()) {
    const env = { ...process.env, CNI_COMMAND: cmd, CNI_CONTAINERID: `c${i}`, CNI_NETNS: `/run/netns/${ns}`, CNI_IFNAME: 'eth0', CNI_PATH };
    const r = spawnSync('ip', ['netns', 'exec', host, join(CNI_PATH, type)], { input: config, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${type} ${cmd} ${ns}: ${r.stdout}${r.stderr}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export function benchCni(prefix: string, n: number): void {
  if (!existsSync(join(CNI_PATH, 'ptp'))) {
    console.log('CNI plugins not installed (apt-get install containernetworking-plugins): comparison skipped');
    return;
  }
  for (const type of ['ptp', 'bridge'] as const) {
    const host = `${prefix}-cni-host`;
    const names = Array.from({ length: n }, (_, i) => `${prefix}-cni${i}`);
    const dir = mkdtempSync(join(tmpdir(), 'ctnet-cni-'));
    try {
      spawnSync('ip', ['-batch', '-'], { input: [host, ...names].map((x) => `netns add ${x}`).join('\n') + '\n' });
      const config = conf(type, join(dir, 'ipam'));
      console.log(`${`CNI ${type}: ADD ${n} containers`.padEnd(34)} ${loop('ADD', type, host, names, config).toFixed(2).padStart(7)} s`);
      console.log(`${`CNI ${type}: DEL ${n} containers`.padEnd(34)} ${loop('DEL', type, host, names, config).toFixed(2).padStart(7)} s`);
    } finally {
      for (const x of readdirSync('/run/netns').filter((x) => x.startsWith(`${prefix}-cni`))) spawnSync('ip', ['netns', 'del', x]);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
