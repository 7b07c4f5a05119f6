import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Contestant } from './contestant.js';
import { ct, type Ct, type Layout } from './layout.js';
import { must } from './proc.js';
import { tempDir } from './sandbox.js';

/**
 * The physical floor of issue 24: the kernel objects of the layout (namespaces, veths, bridge,
 * addresses, routes, proxy entries, the forwarding sysctl) made by one C process over rtnetlink,
 * one request and one ACK at a time (physical-floor.c). Built here, at bench time, with the
 * system compiler; without one, the floor is skipped and the ratios to it are not judged. It
 * also gives a floor for the steps after the cold apply: reading every namespace's tables (what
 * a no-op plan must at least do) and one container added.
 */
const SOURCES = ['physical-floor.c', 'physical-floor-rtnl.c'].map((f) =>
  resolve(import.meta.dirname, '../../src/bench', f),
);
let binary: string | undefined;

/** Compiles the floor; the compiler's own error when it cannot. */
export function buildFloor(): { ok: true } | { ok: false; why: string } {
  const out = join(tempDir('physical-floor'), 'physical-floor');
  const cc = spawnSync('cc', ['-O2', '-Wall', '-o', out, ...SOURCES], { encoding: 'utf8' });
  if (cc.error) return { ok: false, why: `cc: ${cc.error.message}` };
  if (cc.status !== 0) return { ok: false, why: `cc exited ${cc.status}: ${cc.stderr.trim()}` };
  binary = out;
  return { ok: true };
}

const mac = (c: Ct): string =>
  `02:cf:00:${[c.i >> 16, c.i >> 8, c.i].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`;

function hostLines(c: Ct): string[] {
  return c.mode === 'routed'
    ? [
        `veth ${c.veth} 1500 ${c.ifname} ${c.ns} - -`,
        `addr ${c.veth} 169.254.0.1/32 -`,
        `route ${c.addr}/32 ${c.veth} - -`,
        `proxy ${c.addr} up0`,
      ]
    : [`veth ${c.veth} 1500 ${c.ifname} ${c.ns} ${c.lan!.bridge} ${mac(c)}`];
}

function containerLines(c: Ct): string[] {
  const routed = c.mode === 'routed';
  return [
    `enter ${c.ns}`,
    'up lo',
    `up ${c.ifname}`,
    `addr ${c.ifname} ${c.addr}/${c.plen} ${routed ? '-' : 'brd'}`,
    `route default ${c.ifname} ${c.lan ? `${c.lan.gateway} -` : '169.254.0.1 onlink'}`,
  ];
}

export function applyScript(lay: Layout): string[] {
  return [
    ...lay.cts.map((c) => `mkns ${c.ns}`),
    `enter ${lay.host}`,
    'sysctl net/ipv4/ip_forward 1',
    ...lay.lans.flatMap((l) => [
      `bridge ${l.bridge}`,
      ...(l.uplink ? [`master ${l.uplink} ${l.bridge}`] : []),
      `addr ${l.bridge} ${l.gateway}/16 brd`,
    ]),
    ...lay.cts.flatMap(hostLines),
    ...lay.cts.flatMap(containerLines),
  ];
}

const TABLES = ['link', 'addr', 'route', 'neigh'].map((t) => `dump ${t}`);

/** What a no-op plan cannot do less than: read the tables of the host and of every container. */
export function observeScript(lay: Layout): string[] {
  return [lay.host, ...lay.cts.map((c) => c.ns)].flatMap((ns) => [`enter ${ns}`, ...TABLES]);
}

export function addOneScript(lay: Layout): string[] {
  const c = ct(lay.nsPrefix, lay.n, lay.n);
  return [`mkns ${c.ns}`, `enter ${lay.host}`, ...hostLines(c), ...containerLines(c)];
}

export function destroyScript(lay: Layout): string[] {
  const all = [...lay.cts, ct(lay.nsPrefix, lay.n, lay.n)];
  return [
    `enter ${lay.host}`,
    ...all.filter((c) => c.mode === 'routed').map((c) => `delproxy ${c.addr} up0`),
    ...all.map((c) => `delns ${c.ns}`),
    ...lay.lans.map((l) => `dellink ${l.bridge}`),
    'sysctl net/ipv4/ip_forward 0',
  ];
}

/** Runs the floor on a script; its wall time in seconds. */
export const exec = async (lines: string[]): Promise<number> => {
  if (!binary) throw new Error('the physical floor is not built');
  return (await must(binary, [], { input: lines.join('\n') + '\n' })).s;
};

export const physicalFloor: Contestant = {
  name: 'physical',
  tag: 'pf',
  async run(lay, report) {
    report({ step: 'apply', s: await exec(applyScript(lay)) });
    report({ step: 'plan', s: await exec(observeScript(lay)) });
    report({ step: 'add-one', s: await exec(addOneScript(lay)) });
    report({ step: 'destroy', s: await exec(destroyScript(lay)) });
  },
};
