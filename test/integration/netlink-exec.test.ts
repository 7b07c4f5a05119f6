import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { NetlinkDriver } from '../../src/driver/netlink/driver.js';
import { ROOT_NS, type Op } from '../../src/model/ops.js';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * The netlink driver really executes in-process: an `ip` wrapper first on ctnet's PATH records
 * every `ip` process and what it was fed; with the netlink driver no namespace, link, address,
 * route or neighbour work goes through one (only `ip netns exec` for nft remains; sysctls are read
 * and written in-process). Refusals name the rendered command and the kernel's words, exactly as
 * with iproute2.
 */
const BRIDGED = `apiVersion: ctnet/v1
kind: Network
metadata: {name: lan}
spec: {type: bridge, subnets: [10.30.0.0/24, "2001:db8:30::/64"], gateway: 10.30.0.1}
---
${container('ct2', '{name: eth0, network: lan, addresses: [10.30.0.12/24, "2001:db8:30::12/64"]}')}`;
const ROUTED = docs(
  routedNet('public', '192.168.200.0/24', ', uplink: enp0s5'),
  container('ct1', '{name: venet0, network: public, addresses: [192.168.200.11]}'),
);
const NETWORK_WORK = /^(link|address|addr|route|neigh|tuntap) (add|set|del|delete|replace|change)\b/;
/**
 * Link, address, route and neighbour work done by ip processes; the dummy probe runs in a throwaway namespace of its
 * own (unshare --net).
 */
const networkWork = (work: readonly string[]): string[] =>
  work.filter((w) => NETWORK_WORK.test(w) && !w.includes('ctnet-probe'));

describe('netlink execution', () => {
  const sb = new Sandbox();
  const bin = join(sb.dir, 'bin');
  const log = join(sb.dir, 'ip.log');
  const env = (): Record<string, string> => ({ CTNET_DRIVER: 'netlink', PATH: `${bin}:${process.env.PATH}` });
  /** What each `ip` process ctnet started did: its arguments, or its batch lines when it read a batch. */
  const ipWork = (): string[] => {
    if (!existsSync(log)) return [];
    return readFileSync(log, 'utf8')
      .split('\0')
      .filter(Boolean)
      .flatMap((rec) => {
        const [args, ...lines] = rec.split('\n').filter(Boolean);
        const a = args.replace(/^-n \S+ /, '');
        return a.endsWith('-batch -') ? lines : [a];
      });
  };

  beforeAll(() => {
    mkdirSync(bin);
    const real = execFileSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).trim();
    // the log path and the real ip are this test's constants; stdin is replayed to the real ip
    // (one append per process, so records of processes running side by side do not interleave)
    writeFileSync(
      join(bin, 'ip'),
      `#!/bin/sh\nt=$(mktemp)\nr=$(mktemp)\ncat > "$t"\n{ printf '%s\\n' "$*"; cat "$t"; printf '\\0'; } > "$r"\ncat "$r" >> '${log}'\n'${real}' "$@" < "$t"\nrc=$?\nrm -f "$t" "$r"\nexit $rc\n`,
    );
    chmodSync(join(bin, 'ip'), 0o755);
    sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
  });
  afterAll(() => sb.cleanup());

  it('applies routed and bridged containers with no ip process for links, addresses, routes or neighbours', () => {
    sb.write('routed.yaml', ROUTED);
    sb.write('bridged.yaml', BRIDGED);
    // the wrapper logs what goes through it: an ip started on that PATH is seen
    execFileSync('ip', ['-V'], { env: { ...process.env, ...env() } });
    expect(ipWork()).toEqual(['-V']);
    expectExit(sb.ctnetEnv(env(), 'apply', '-q', sb.manifestDir), 0);
    const work = ipWork().slice(1);
    // nft (libnftables) and sysctls are in-process too: no `ip netns exec` at all
    expect(work.filter((w) => w.startsWith('netns exec'))).toEqual([]);
    expect(networkWork(work)).toEqual([]);
    expect(work.filter((w) => /^netns (add|del)/.test(w))).toEqual([]);
    // nor any observation through ip: the driver reads over netlink
    expect(work.filter((w) => w.includes('-json'))).toEqual([]);
    expect(ping(sb.ns('lan'), '192.168.200.11')).toBe(true);
    expect(
      ipj(sb.ns('ct2'), 'addr', 'show', 'dev', 'eth0').flatMap((l) =>
        l.addr_info.map((a: { local: string }) => a.local),
      ),
    ).toEqual(expect.arrayContaining(['10.30.0.12', '2001:db8:30::12']));
    // the same kernel state as iproute2 would make: nothing left to do for either driver
    expectExit(sb.ctnetEnv({ CTNET_DRIVER: 'iproute2' }, 'plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('destroys without ip processes for links, addresses, routes or neighbours', () => {
    rmSync(log, { force: true });
    expectExit(sb.ctnetEnv(env(), 'destroy', '-q'), 0);
    expect(networkWork(ipWork())).toEqual([]);
    expect(ipWork().filter((w) => /^netns (add|del)/.test(w))).toEqual([]);
    expect(sb.namespaces()).toEqual([]);
  });

  it('a kernel refusal names the rendered command and the kernel message, exit 1', () => {
    // IPv6 is off on links under 1280 bytes: the kernel refuses the address
    sb.remove('bridged.yaml');
    sb.write(
      'routed.yaml',
      docs(
        routedNet('public', '"2001:db8:9::/64"', ', mtu: 1000'),
        container('ct1', '{name: venet0, network: public, addresses: ["2001:db8:9::5"]}'),
      ),
    );
    rmSync(log, { force: true });
    const r = sb.ctnetEnv(env(), 'apply', '-q', sb.manifestDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ip -n \S+ address add (fe80::1\/64|2001:db8:9::5\/128) dev \S+ nodad: RTNETLINK answers: Invalid argument/,
    );
    expect(networkWork(ipWork())).toEqual([]);
    expectExit(sb.ctnetEnv(env(), 'destroy', '-q'), 0);
  });

  it('a batch stops at its first refusal; deleting what is gone is done', async () => {
    const ns = sb.ns('drv');
    sh('ip', 'netns', 'add', ns);
    const d = new NetlinkDriver(sb.host);
    const ops: Op[] = [
      { op: 'link-add', ns, link: { name: 'br9', kind: 'bridge', up: true } },
      { op: 'addr-add', ns, address: { dev: 'br9', family: 4, cidr: '10.9.0.1/24' } },
      { op: 'addr-add', ns, address: { dev: 'br9', family: 4, cidr: '10.9.0.1/24' } },
      { op: 'route-add', ns, route: { family: 4, dst: '10.10.0.0/16', via: '10.9.0.2', protocol: 241 } },
    ];
    const [o] = await d.run([{ target: { ns, channel: 'ip' }, ops }]);
    const command = `ip -n ${ns} address add 10.9.0.1/24 broadcast + dev br9`;
    // the kernel's words exactly as ip prints them for the same command
    const ipSays = spawnSync('ip', command.split(' ').slice(1), { encoding: 'utf8' }).stderr.trim();
    expect(ipSays).toMatch(/Address already assigned|File exists/);
    expect(o).toEqual({ ran: 3, failures: [{ index: 2, command, message: ipSays }] });
    expect(ipj(ns, 'route', 'show', '10.10.0.0/16')).toEqual([]);
    const gone: Op[] = [
      { op: 'route-del', ns, route: { family: 4, dst: '10.10.0.0/16', via: '10.9.0.2', protocol: 241 } },
      { op: 'neigh-del', ns, neighbor: { family: 4, dst: '10.9.0.5', dev: 'br9', proxy: true } },
      { op: 'addr-del', ns, address: { dev: 'br9', family: 4, cidr: '10.9.0.7/24' } },
      { op: 'link-del', ns, name: 'nope0' },
      { op: 'link-del', ns, name: 'br9' },
    ];
    expect(await d.run([{ target: { ns, channel: 'ip' }, ops: gone }])).toEqual([{ ran: 5, failures: [] }]);
    expect(ipj(ns, 'link', 'show').map((l) => l.ifname)).toEqual(['lo']);
    const [missing] = await d.run([{ target: { ns: sb.ns('absent'), channel: 'ip' }, ops: [gone[4]] }]);
    expect(missing.failures[0].message).toBe(
      `Cannot open network namespace "${sb.ns('absent')}": No such file or directory`,
    );
  });

  it('makes and removes namespaces in-process as ip netns add/del do, and stays in its own', async () => {
    const d = new NetlinkDriver(sb.host);
    const [a, b] = [sb.ns('nsa'), sb.ns('nsb')];
    const root = { ns: ROOT_NS, channel: 'ip' as const };
    // the thread that calls the driver is the one that enters and leaves namespaces
    const mine = readlinkSync('/proc/thread-self/ns/net');
    expect(
      await d.run([
        {
          target: root,
          ops: [
            { op: 'netns-add', name: a },
            { op: 'netns-add', name: b },
          ],
        },
      ]),
    ).toEqual([{ ran: 2, failures: [] }]);
    expect(sh('ip', 'netns', 'list')).toContain(a);
    expect(ipj(a, 'link', 'show').map((l) => l.ifname)).toEqual(['lo']);
    // a namespace of its own each, and the calling thread back in the one it started in
    expect(sh('ip', 'netns', 'exec', a, 'readlink', '/proc/self/ns/net')).not.toBe(
      sh('ip', 'netns', 'exec', b, 'readlink', '/proc/self/ns/net'),
    );
    expect(readlinkSync('/proc/thread-self/ns/net')).toBe(mine);
    const [dup] = await d.run([{ target: root, ops: [{ op: 'netns-add', name: a }] }]);
    expect(dup.failures[0]).toEqual({
      index: 0,
      command: `ip netns add ${a}`,
      message: `Cannot create namespace file "/run/netns/${a}": File exists`,
    });
    const del = await d.run([
      {
        target: root,
        ops: [
          { op: 'netns-del', name: a },
          { op: 'netns-del', name: b },
          { op: 'netns-del', name: b },
        ],
      },
    ]);
    expect(del).toEqual([{ ran: 3, failures: [] }]);
    expect(sh('ip', 'netns', 'list')).not.toContain(a);
  });
});
