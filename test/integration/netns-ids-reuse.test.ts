import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { NetlinkDriver } from '../../src/driver/netlink/driver.js';
import type { ObserveRequest } from '../../src/driver/types.js';
import type { ObservedState } from '../../src/model/kernel.js';
import { observeIncrementally } from '../../src/observe/incremental.js';
import { sh } from './sandbox.js';

/**
 * An incremental observation (`watch`) asks the kernel for the ids of only the namespaces that
 * may have another one now: new names, names without an id before, names that lead to another
 * namespace. Its ids always equal a full observation's, on a real kernel.
 */
const P = `ctni${randomBytes(3).toString('hex')}`;
const HOST = `${P}-host`;
const CTS = [0, 1, 2, 3].map((i) => `${P}-c${i}`);
const LONE = `${P}-lone`; // no veth to the host: no id
const h = (...a: string[]): string => sh('ip', '-n', HOST, ...a);
const ours = (n: string): boolean => n.startsWith(P);
const mine = (o: ObservedState): Record<string, number> =>
  Object.fromEntries(Object.entries(o.netnsIds ?? {}).filter(([n]) => ours(n)));
const veth = (i: number): void => {
  h('link', 'add', `v${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', CTS[i]);
};

function cleanup(): void {
  rmSync(`/run/netns/${P}-file`, { force: true });
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  for (const n of list.split('\n').map((l) => l.split(' ')[0])) if (n && ours(n)) spawnSync('ip', ['netns', 'del', n]);
}

describe('namespace ids in an incremental observation', () => {
  const driver = new NetlinkDriver(HOST);
  const req: ObserveRequest = { namespaces: [], sysctls: [] };
  beforeAll(() => {
    for (const n of [HOST, ...CTS, LONE]) sh('ip', 'netns', 'add', n);
    [0, 1, 2].forEach(veth);
  });
  afterAll(cleanup);

  it('asks only new names, names without an id and namespaces made again; answers as a full read does', async () => {
    const before = await driver.observe(req);
    expect(Object.keys(mine(before)).sort()).toStrictEqual(CTS.slice(0, 3).sort());
    // what happens between two watch runs: a namespace gets its first veth, one is made again
    // under the same name, one is new
    veth(3);
    sh('ip', 'netns', 'del', CTS[0]);
    sh('ip', 'netns', 'add', CTS[0]);
    veth(0);
    const NEW = `${P}-new`;
    sh('ip', 'netns', 'add', NEW);
    const spy = vi.spyOn(driver, 'netnsIds');
    const { observed } = await observeIncrementally(driver, req, { namespaces: [], previous: before });
    const asked = (spy.mock.calls[0]?.[0] ?? []).filter(ours).sort();
    spy.mockRestore();
    // c1 and c2 kept their namespaces and their ids: never asked again
    expect(asked).toStrictEqual([CTS[0], CTS[3], LONE, NEW].sort());
    expect(before.netnsIdentity?.[CTS[0]]).not.toBe(observed.netnsIdentity?.[CTS[0]]);
    const full = await driver.observe(req);
    expect(mine(observed)).toStrictEqual(mine(full));
    expect(Object.keys(mine(observed)).sort()).toStrictEqual(CTS.slice().sort());
  });

  it('asks many names at once: each id as `ip netns list` gives it, none for a file that is no namespace', async () => {
    const many = Array.from({ length: 70 }, (_, i) => `${P}-m${i}`);
    for (const n of many) sh('ip', 'netns', 'add', n);
    // every other one gets a veth to the host, so an id there
    many.forEach(
      (n, i) => i % 2 === 0 && h('link', 'add', `m${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n),
    );
    const file = `${P}-file`;
    writeFileSync(`/run/netns/${file}`, '');
    const names = [...many.slice(0, 33), file, ...many.slice(33)];
    const ids = await driver.netnsIds(names);
    // `ip netns list` in the host namespace: "NAME (id: N)" for each name with an id there
    const listed = Object.fromEntries(
      h('netns', 'list')
        .split('\n')
        .map((l) => /^(\S+) \(id: (\d+)\)/.exec(l))
        .flatMap((m) => (m && names.includes(m[1]) ? [[m[1], Number(m[2])]] : [])),
    );
    expect(Object.keys(ids)).toHaveLength(35);
    expect(ids).toStrictEqual(listed);
  });
});
