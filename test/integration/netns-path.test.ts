import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { Sandbox, expectExit, ipj, ping, sh, waitUntil } from './sandbox.js';
import { doc, docs } from '../fixtures.js';

const LAN = doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1}');

/**
 * A container runtime's namespace, attached by path (`/proc/PID/ns/net`): ctnet names it, builds
 * inside it, and on destroy removes only what it made there and the name; the namespace and its
 * process live on. A runtime restart (a new namespace at the path) is followed.
 */
describe("netns by path: a runtime's namespace", () => {
  const sb = new Sandbox();
  const runtimes: ChildProcess[] = [];
  /** A process in a fresh network namespace of its own, as a container runtime would start. */
  const startRuntime = (): string => {
    const p = spawn('unshare', ['--net', 'sleep', '60'], { stdio: 'ignore' });
    runtimes.push(p);
    const path = `/proc/${p.pid}/ns/net`;
    waitUntil(() => existsSync(path) && readlinkSync(path) !== readlinkSync('/proc/self/ns/net'));
    return path;
  };
  // the container's name carries the sandbox's prefix: so does the name ctnet gives the namespace
  const name = `${sb.prefix}-rt1`;
  const alias = `ctnet-rt-${name}`;
  const ct = (path: string): string =>
    doc(
      'Container',
      name,
      `{netns: {path: "${path}"}, interfaces: [{name: eth0, network: lan, addresses: [10.30.0.21/24]}]}`,
    );
  beforeAll(() => sb.write('lan.yaml', LAN));
  afterAll(() => {
    for (const p of runtimes) p.kill('SIGKILL');
    spawnCleanup();
    sb.cleanup();
  });
  const spawnCleanup = (): void => void spawnSync('ip', ['netns', 'del', alias]);

  it("builds inside the runtime's namespace without creating one, and reaches the bridge", () => {
    const path = startRuntime();
    sb.write('rt.yaml', ct(path));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(existsSync(`/run/netns/${alias}`)).toBe(true);
    const inside = sh('nsenter', `--net=${path}`, 'ip', '-j', 'addr', 'show', 'eth0');
    expect(inside).toContain('10.30.0.21');
    expect(ping(alias, '10.30.0.1')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('follows a runtime restart: a new namespace at a new path', () => {
    runtimes[0].kill('SIGKILL');
    const path = startRuntime();
    sb.write('rt.yaml', ct(path));
    const plan = expectExit(sb.ctnet('plan', sb.manifestDir), 0).stdout;
    expect(plan).toContain(`netns ${alias} will be replaced`);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(sh('nsenter', `--net=${path}`, 'ip', '-j', 'addr', 'show', 'eth0')).toContain('10.30.0.21');
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('destroy removes only what ctnet made there and the name: the namespace lives on', () => {
    const path = `/proc/${runtimes[1].pid}/ns/net`;
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(existsSync(`/run/netns/${alias}`)).toBe(false);
    expect(existsSync(path)).toBe(true);
    const links = JSON.parse(sh('nsenter', `--net=${path}`, 'ip', '-j', 'link', 'show')).map(
      (l: { ifname: string }) => l.ifname,
    );
    expect(links).toEqual(['lo']);
    expect(
      ipj(sb.host, 'link', 'show')
        .map((l) => l.ifname)
        .filter((n) => n.startsWith('ve-')),
    ).toEqual([]);
  });

  it('a path that does not exist is rejected before any change', () => {
    sb.write('rt.yaml', docs(ct('/proc/999999999/ns/net')));
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 3).stderr).toContain(
      'namespace /proc/999999999/ns/net does not exist',
    );
  });
});
