import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Sandbox, ipj, sh } from './sandbox.js';
import { demoPrefix } from '../../src/demo/host.js';

const DEMO = resolve(import.meta.dirname, '../../dist/demo/run.js');

/**
 * `npm run demo` deletes only what it made: a namespace that has one of its names is someone
 * else's, and two runs never share a name. Only the refusal is run here: a whole run makes the
 * manifests' container namespaces, whose names are not this sandbox's.
 */
describe('the demo deletes only what it made', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());

  it('refuses to start when a namespace has one of its names, and leaves it as it was', () => {
    const before = statSync(`/run/netns/${sb.host}`).ino;
    sh('ip', '-n', sb.host, 'link', 'add', 'keep0', 'type', 'veth', 'peer', 'name', 'keep1');
    // the demo's host would be `<prefix>-host`: the sandbox's own host namespace has that name
    const env = { ...process.env, CTNET_DEMO_PREFIX: `${sb.prefix}-` };
    const r = spawnSync('node', [DEMO], { encoding: 'utf8', env });
    expect(r.status, r.stderr + r.stdout).toBe(1);
    expect(r.stderr).toContain(`demo: namespace ${sb.host} already exists: not this demo's to use or remove`);
    expect(statSync(`/run/netns/${sb.host}`).ino).toBe(before);
    expect(ipj(sb.host, 'link', 'show').map((l) => l.ifname)).toEqual(expect.arrayContaining(['keep0', 'keep1']));
    // nothing was made: no LAN namespaces of the demo
    expect(readdirSync('/run/netns').filter((n) => n.startsWith(sb.prefix))).toEqual([sb.host]);
  });

  it('gives each run names of its own', () => {
    const prefixes = new Set(Array.from({ length: 50 }, demoPrefix));
    expect(prefixes.size).toBe(50);
    for (const p of prefixes) expect(p).toMatch(/^ctnet-demo-[0-9a-f]{6}-$/);
  });
});
