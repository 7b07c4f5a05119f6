import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Sandbox, expectExit, ipj, ping } from './sandbox.js';
import { container, doc, docs } from '../fixtures.js';

/**
 * Killed at any point, the next plain run converges. The kills here are provoked at a known
 * step (the CTNET_CRASH_AFTER test hook, or observed progress), never after a guessed delay.
 */

const NET = doc('Network', 'lan', '{type: bridge, subnets: [10.60.0.0/24], gateway: 10.60.0.1}');
const ct = (n: number): string => container(`ct${n}`, `{name: eth0, network: lan, addresses: [10.60.0.${10 + n}/24]}`);
const hostLinks = (sb: Sandbox): string[] =>
  ipj(sb.host, 'link', 'show')
    .map((l) => l.ifname)
    .filter((n) => /^(br|ve)-/.test(n));
/** `ip -n NAME ...` works only on a mounted namespace. */
const usable = (name: string): boolean => spawnSync('ip', ['-n', name, 'link', 'show', 'lo']).status === 0;

describe('a netns name with nothing mounted on it', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.write('net.yaml', NET);
    sb.write('ct1.yaml', ct(1));
  });
  afterAll(() => sb.cleanup());

  it('a netns name with nothing mounted on it (killed inside namespace creation): apply converges', () => {
    const name = sb.ns('ct1');
    writeFileSync(`/run/netns/${name}`, '');
    expect(existsSync(`/run/netns/${name}`)).toBe(true);
    expect(usable(name)).toBe(false);
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(usable(name)).toBe(true);
    expect(ping(name, '10.60.0.1')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });
});

describe('crash recovery at a known step', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.write('net.yaml', NET);
    sb.write('ct1.yaml', ct(1));
  });
  afterAll(() => sb.cleanup());

  it('killed right after a container veth is created: the next plain apply (no --adopt) converges', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    sb.write('ct3.yaml', ct(3));
    const k = sb.ctnetEnv({ CTNET_CRASH_AFTER: 'link add .*ve-ct3-eth0' }, 'apply', '-q', sb.manifestDir);
    expect(k.status).toBeNull();
    expect(k.signal).toBe('SIGKILL');
    // the kill landed mid-apply: the veth is there, not yet marked, or the container lacks its address
    const veth = ipj(sb.host, 'link', 'show').find((l) => l.ifname === 've-ct3-eth0');
    expect(veth).toBeDefined();
    const marked = String(veth.ifalias ?? '').startsWith('ctnet:');
    const addressed =
      usable(sb.ns('ct3')) &&
      ipj(sb.ns('ct3'), 'addr', 'show').some((l) => l.addr_info.some((a: any) => a.local === '10.60.0.13'));
    expect(marked && addressed).toBe(false);

    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ipj(sb.host, 'link', 'show', 'dev', 've-ct3-eth0')[0].ifalias).toMatch(/^ctnet:/);
    expect(ping(sb.ns('ct3'), '10.60.0.11')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('killed right after a namespace is created: the next apply converges', () => {
    sb.write('ct4.yaml', ct(4));
    const k = sb.ctnetEnv({ CTNET_CRASH_AFTER: `netns add .*${sb.ns('ct4')}` }, 'apply', '-q', sb.manifestDir);
    expect(k.signal).toBe('SIGKILL');
    expect(sb.namespaces()).toContain(sb.ns('ct4'));
    expect(usable(sb.ns('ct4')) && ipj(sb.ns('ct4'), 'link', 'show').some((l) => l.ifname === 'eth0')).toBe(false);
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ping(sb.ns('ct4'), '10.60.0.13')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('destroy killed after its first namespace deletion: the next destroy removes the rest', () => {
    expect(sb.namespaces()).toEqual(['ct1', 'ct3', 'ct4'].map((n) => sb.ns(n)));
    const k = sb.ctnetEnv({ CTNET_CRASH_AFTER: 'netns del' }, 'destroy', '-q');
    expect(k.signal).toBe('SIGKILL');
    const left = sb.namespaces().length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(3);
    const r = sb.ctnet('destroy', '-q');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sb.namespaces()).toEqual([]);
    expect(hostLinks(sb)).toEqual([]);
  });
});

describe('crash recovery after observed progress', () => {
  const N = 40;
  const sb = new Sandbox();
  beforeAll(() => {
    const d = [doc('Network', 'lan', '{type: bridge, subnets: [10.61.0.0/16], gateway: 10.61.0.1}')];
    for (let i = 0; i < N; i++)
      d.push(container(`c${i}`, `{name: eth0, network: lan, addresses: [10.61.1.${i + 2}/16]}`));
    sb.write('m.yaml', docs(...d));
  });
  afterAll(() => sb.cleanup());

  /** One apply, killed from outside once some but not all namespaces exist; false when it finished first. */
  async function killMidway(): Promise<boolean> {
    const bg = sb.ctnetBackground(['-q', 'apply', sb.manifestDir]);
    const tick = new Int32Array(new SharedArrayBuffer(4));
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const seen = sb.namespaces().length;
      if (seen >= 1 && seen < N) {
        bg.kill('SIGKILL');
        break;
      }
      if (seen >= N) break;
      Atomics.wait(tick, 0, 0, 1);
    }
    return (await bg.done).signal === 'SIGKILL';
  }

  it(`apply of ${N} containers killed once some but not all namespaces exist, then run again`, async () => {
    expect(sb.namespaces()).toEqual([]);
    // a loaded machine may not schedule this poll while all ${N} namespaces are made: start over
    // (destroy) and try again; that the kill landed mid-apply is asserted, not assumed
    let killed = false;
    for (let attempt = 0; attempt < 5 && !killed; attempt++) {
      if (attempt) expect(sb.ctnet('destroy', '-q').code).toBe(0);
      killed = await killMidway();
    }
    expect(killed).toBe(true);
    const partial = sb.namespaces().length;
    expect(partial).toBeGreaterThanOrEqual(1);
    expect(partial).toBeLessThan(N);

    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sb.namespaces()).toHaveLength(N);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    expect(ping(sb.ns(`c${N - 1}`), '10.61.1.2')).toBe(true);
  });

  it('destroy then leaves nothing', () => {
    const r = sb.ctnet('destroy', '-q');
    expect(r.code).toBe(0);
    expect(sb.namespaces()).toEqual([]);
    expect(hostLinks(sb)).toEqual([]);
  });
});
