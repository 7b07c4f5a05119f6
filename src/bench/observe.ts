import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Iproute2Driver } from '../driver/iproute2.js';
import { NetlinkDriver } from '../driver/netlink/driver.js';
import type { Driver, ObserveRequest } from '../driver/types.js';

/**
 * `node dist/bench/observe.js [N] [runs]`: one observation of a host and N container namespaces
 * (one veth each, host end in a sandbox namespace playing the host), with both drivers in the
 * same run, alternating, the minimum of `runs` each (these machines are noisy). Everything it
 * makes carries a random prefix and is deleted at the end, on failure and Ctrl-C too.
 */
const N = Number(process.argv[2] ?? 300);
const RUNS = Number(process.argv[3] ?? 5);
const PREFIX = `ctob${randomBytes(3).toString('hex')}`;
const HOST = `${PREFIX}-host`;
const names = Array.from({ length: N }, (_, i) => `${PREFIX}-c${i}`);

function batch(args: string[], lines: string[]): void {
  const r = spawnSync('ip', [...args, '-batch', '-'], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} -batch failed: ${r.stderr.slice(0, 500)}`);
}

function build(): void {
  batch(
    [],
    [HOST, ...names].map((n) => `netns add ${n}`),
  );
  const host = names.flatMap((n, i) => [
    `link add h${i} type veth peer name eth0 netns ${n}`,
    `link set h${i} up`,
    `addr add 10.${i >> 8}.${i & 255}.1/32 dev h${i}`,
    `route add 10.100.${i >> 8}.${i & 255} dev h${i} proto 241`,
  ]);
  batch(['-n', HOST], ['link set lo up', ...host]);
}

function cleanup(): void {
  const ours = readdirSync('/run/netns').filter((n) => n.startsWith(PREFIX));
  if (ours.length) spawnSync('ip', ['-batch', '-'], { input: ours.map((n) => `netns del ${n}`).join('\n') + '\n' });
}

async function timeOnce(d: Driver, req: ObserveRequest): Promise<number> {
  const t0 = process.hrtime.bigint();
  const o = await d.observe(req);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (Object.keys(o.namespaces).length !== N)
    throw new Error(`${d.constructor.name} observed ${Object.keys(o.namespaces).length} of ${N} namespaces`);
  return s;
}

async function main(): Promise<void> {
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const t0 = Date.now();
    build();
    console.log(
      `built ${N} namespaces with a veth each in ${((Date.now() - t0) / 1000).toFixed(2)} s (prefix ${PREFIX})`,
    );
    const req: ObserveRequest = { namespaces: names, sysctls: [] };
    const drivers: Record<string, Driver> = { iproute2: new Iproute2Driver(HOST), netlink: new NetlinkDriver(HOST) };
    const best: Record<string, number> = { iproute2: Infinity, netlink: Infinity };
    await timeOnce(drivers.netlink, req); // warm-up: koffi's first load, the JIT
    for (let r = 0; r < RUNS; r++) {
      for (const name of r % 2 ? ['netlink', 'iproute2'] : ['iproute2', 'netlink'])
        best[name] = Math.min(best[name], await timeOnce(drivers[name], req));
    }
    console.log(
      `observe host + ${N} namespaces (links, addresses, routes, proxy neighbours, namespace ids, nft tables), min of ${RUNS}:`,
    );
    for (const [name, s] of Object.entries(best))
      console.log(`  ${name.padEnd(9)} ${(s * 1000).toFixed(0).padStart(6)} ms`);
    console.log(
      `  ratio netlink / iproute2: ${(best.netlink / best.iproute2).toFixed(3)} (${(best.iproute2 / best.netlink).toFixed(1)}x faster)`,
    );
    // where the netlink driver's time goes: its own reads, apart from the shared nft and sysctl helpers
    const nl = drivers.netlink as NetlinkDriver;
    let objs = Infinity;
    let ids = Infinity;
    for (let r = 0; r < RUNS; r++) {
      const t0 = process.hrtime.bigint();
      for (const ns of [null, ...names]) await nl.observeNs(ns);
      const t1 = process.hrtime.bigint();
      await nl.netnsIds();
      objs = Math.min(objs, Number(t1 - t0) / 1e6);
      ids = Math.min(ids, Number(process.hrtime.bigint() - t1) / 1e6);
    }
    console.log(
      `  netlink: objects of ${N + 1} namespaces ${objs.toFixed(0)} ms, namespace ids ${ids.toFixed(0)} ms; the rest is nft -j and the assembly`,
    );
  } finally {
    cleanup();
  }
}

await main();
