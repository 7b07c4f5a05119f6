import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Sandbox, expectExit, hostSnapshot, ipj, sh, sysctl } from './sandbox.js';
import { doc, docs } from '../fixtures.js';

const HOST = 'is the network namespace playing the host: a container never lives there';
const ONE = 'a namespace has one owner';
const LAN = doc('Network', 'lan', '{type: bridge, subnets: [10.31.0.0/24], gateway: 10.31.0.1}');

/**
 * A runtime's namespace given by path (`netns: {path}`) is judged by what the path names, before
 * any change (issue 19 §1.1): never the host's, whatever the spelling; never something that is not
 * a network namespace; never a namespace with another owner. Each refusal is exit 3 at
 * `spec.netns.path`, and the sandbox's host, its nftables, the namespace list and the mounts
 * are as they were.
 */
describe('netns by path: checked by identity before any change', () => {
  const sb = new Sandbox();
  const rt = sb.ns('rt');
  const ct = (name: string, path: string, addr: string): string =>
    doc(
      'Container',
      name,
      `{netns: {path: "${path}"}, ` + `interfaces: [{name: eth0, network: lan, addresses: [${addr}]}]}`,
    );
  /** Everything of this sandbox a refused run must leave alone. */
  const kernel = () => ({
    host: hostSnapshot(sb.host),
    nft: sh('ip', 'netns', 'exec', sb.host, 'nft', 'list', 'ruleset'),
    names: readdirSync('/run/netns')
      .filter((n) => n.includes(sb.prefix))
      .sort(),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(sb.prefix))
      .map((l) => l.split(' ')[4])
      .sort(),
  });
  /** The located error line of the container whose path is `path` in `text` (the file `name`). */
  const located = (text: string, path: string, message: string, name = 'rt.yaml'): string => {
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes(`"${path}"`));
    return `${sb.manifestDir}/${name}:${i + 1}:${lines[i].indexOf(`"${path}"`) + 1}: spec.netns.path: ${message}`;
  };
  const refused = (path: string, message: string): void => {
    const text = ct(`${sb.prefix}-c1`, path, '10.31.0.21/24');
    sb.write('rt.yaml', text);
    const before = kernel();
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    expect(r.stderr).toContain(located(text, path, message));
    expect(kernel()).toEqual(before);
    expect(kernel().names).not.toContain(`ctnet-rt-${sb.prefix}-c1`);
  };
  beforeAll(() => {
    sh('ip', 'netns', 'add', rt);
    sb.write('lan.yaml', LAN);
  });
  afterAll(() => {
    // names ctnet gave runtimes' namespaces carry the prefix after `ctnet-rt-`: gone on failure too
    const left = readdirSync('/run/netns').filter((x) => x.startsWith(`ctnet-rt-${sb.prefix}`));
    for (const n of left) spawnSync('ip', ['netns', 'del', n]);
    spawnSync('ip', ['netns', 'del', rt]);
    sb.cleanup();
  });

  it('refuses the namespace playing the host, named by its /run/netns path', () => {
    refused(`/run/netns/${sb.host}`, `/run/netns/${sb.host} ${HOST}`);
  });

  it('refuses the namespace ctnet runs in (/proc/self/ns/net: the real host under a plain run)', () => {
    refused(
      '/proc/self/ns/net',
      '/proc/self/ns/net is the network namespace ctnet runs in: ' + 'a container never lives there',
    );
  });

  it('refuses a regular file, a directory and a mount namespace: not network namespaces', () => {
    refused('/etc/passwd', '/etc/passwd is not a network namespace');
    refused('/etc', '/etc is not a network namespace');
    refused('/proc/self/ns/mnt', '/proc/self/ns/mnt is not a network namespace');
  });

  it("refuses a dead process's namespace and a path that does not exist", () => {
    const pid = spawnSync('true').pid;
    refused(`/proc/${pid}/ns/net`, `namespace /proc/${pid}/ns/net does not exist`);
    refused(`/nonexistent-${sb.prefix}`, `namespace /nonexistent-${sb.prefix} does not exist`);
  });

  it('lists every refusal at once, each at its own container', () => {
    const a = ct(`${sb.prefix}-c1`, '/etc/passwd', '10.31.0.21/24');
    const b = ct(`${sb.prefix}-c2`, `/run/netns/${sb.host}`, '10.31.0.22/24');
    const text = docs(a, b);
    sb.write('rt.yaml', text);
    const before = kernel();
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    expect(r.stderr).toContain(located(text, '/etc/passwd', '/etc/passwd is not a network namespace'));
    expect(r.stderr).toContain(located(text, `/run/netns/${sb.host}`, `/run/netns/${sb.host} ${HOST}`));
    expect(kernel()).toEqual(before);
  });

  it("refuses a namespace with another owner: a named container's, or one another container attaches to", () => {
    const own = `${sb.prefix}-own`;
    const named = doc(
      'Container',
      own,
      `{netns: "${own}", ` + 'interfaces: [{name: eth0, network: lan, addresses: [10.31.0.30/24]}]}',
    );
    sb.write('own.yaml', named);
    sb.write('rt.yaml', ct(`${sb.prefix}-c1`, `/run/netns/${rt}`, '10.31.0.21/24'));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    // the named container's namespace, by path; and the runtime's again, spelt another way
    const theirs = ct(`${sb.prefix}-c2`, `/run/netns/${own}`, '10.31.0.22/24');
    const again = ct(`${sb.prefix}-c3`, `/run/../run/netns/${rt}`, '10.31.0.23/24');
    const text = docs(theirs, again);
    sb.write('more.yaml', text);
    const before = kernel();
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    const made = `/run/netns/${own} is network namespace "${own}", which ctnet made for container/${own}: ${ONE}`;
    expect(r.stderr).toContain(located(text, `/run/netns/${own}`, made, 'more.yaml'));
    const twice =
      `/run/../run/netns/${rt} is the same namespace as /run/netns/${rt}, ` +
      `which container/${sb.prefix}-c1 uses: ${ONE}`;
    expect(r.stderr).toContain(located(text, `/run/../run/netns/${rt}`, twice, 'more.yaml'));
    expect(kernel()).toEqual(before);
    sb.remove('more.yaml');
    sb.remove('own.yaml');
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });
});

/**
 * A container's sysctls in a runtime's namespace (issue 19 §1.2): ctnet never deletes that
 * namespace, so the values it changed there live on unless put back. The value found before the
 * first change is recorded, and restored by destroy, by a prune and by a partial destroy; a
 * runtime's new namespace at the same path has its own originals, recorded afresh.
 */
describe('netns by path: container sysctls are put back', () => {
  const sb = new Sandbox();
  const rt = sb.ns('rts');
  const name = `${sb.prefix}-s1`;
  const FWD = 'net.ipv4.conf.all.forwarding';
  const TTL = 'net.ipv4.ip_default_ttl';
  const ct = doc(
    'Container',
    name,
    `{netns: {path: "/run/netns/${rt}"}, sysctls: {${FWD}: "1", ${TTL}: "100"}, ` +
      'interfaces: [{name: eth0, network: lan, addresses: [10.32.0.21/24]}]}',
  );
  const alias = `ctnet-rt-${name}`;
  beforeAll(() => {
    sh('ip', 'netns', 'add', rt);
    sb.write('lan.yaml', doc('Network', 'lan', '{type: bridge, subnets: [10.32.0.0/24], gateway: 10.32.0.1}'));
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', alias]);
    spawnSync('ip', ['netns', 'del', rt]);
    sb.cleanup();
  });
  const applied = (): void => {
    sb.write('ct.yaml', ct);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect([sysctl(rt, FWD), sysctl(rt, TTL)]).toEqual(['1', '100']);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  };
  const restored = (ttl = '64'): void => {
    expect([sysctl(rt, FWD), sysctl(rt, TTL)]).toEqual(['0', ttl]);
    expect(readdirSync('/run/netns')).toContain(rt);
    expect(readdirSync('/run/netns')).not.toContain(alias);
  };

  it("destroy restores the values found before, and the runtime's namespace lives on", () => {
    expect([sysctl(rt, FWD), sysctl(rt, TTL)]).toEqual(['0', '64']);
    applied();
    expectExit(sb.ctnet('destroy', '-q'), 0);
    restored();
  });

  it('a prune (the container left the manifests) restores them', () => {
    applied();
    sb.remove('ct.yaml');
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    restored();
  });

  it('a partial destroy of the container restores them', () => {
    applied();
    expectExit(sb.ctnet('destroy', '-q', `${sb.manifestDir}/ct.yaml`), 0);
    restored();
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });

  it("a runtime's new namespace at the path has its own originals", () => {
    applied();
    // the runtime restarts: another namespace at the same path, left with another value
    sh('ip', 'netns', 'del', rt);
    sh('ip', 'netns', 'add', rt);
    sh('ip', 'netns', 'exec', rt, 'sysctl', '-q', '-w', `${TTL}=77`);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect([sysctl(rt, FWD), sysctl(rt, TTL)]).toEqual(['1', '100']);
    expectExit(sb.ctnet('destroy', '-q'), 0);
    restored('77');
  });
});

/**
 * Every name ctnet makes under /run/netns (`ctnet-rt-<container>`) is in the inventory before it
 * is made, shown by `status`, and removed by `destroy`, also after an apply that failed or was
 * killed part-way: no name and no bind mount is left behind.
 */
describe('netns by path: the names ctnet makes are owned, shown and removed', () => {
  const sb = new Sandbox();
  const rt = sb.ns('rtn');
  const name = `${sb.prefix}-n1`;
  const alias = `ctnet-rt-${name}`;
  const ct = (sysctls: string): string =>
    doc(
      'Container',
      name,
      `{netns: {path: "/run/netns/${rt}"}, ` +
        `sysctls: {${sysctls}}, interfaces: [{name: eth0, network: lan, addresses: [10.33.0.21/24]}]}`,
    );
  const mounted = (): string[] =>
    readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(alias));
  beforeAll(() => {
    sh('ip', 'netns', 'add', rt);
    sb.write('lan.yaml', doc('Network', 'lan', '{type: bridge, subnets: [10.33.0.0/24], gateway: 10.33.0.1}'));
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', alias]);
    spawnSync('ip', ['netns', 'del', rt]);
    sb.cleanup();
  });
  const destroyedClean = (): void => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(readdirSync('/run/netns')).not.toContain(alias);
    expect(mounted()).toEqual([]);
    expect(readdirSync('/run/netns')).toContain(rt);
    expect(ipj(rt, 'link', 'show').map((l) => l.ifname)).toEqual(['lo']);
  };

  it('killed right after naming the namespace: recorded before, shown by status, removed by destroy', () => {
    sb.write('ct.yaml', ct('net.ipv4.ip_default_ttl: "100"'));
    const r = sb.ctnetEnv({ CTNET_CRASH_AFTER: `mount --bind /run/netns/${rt} ` }, '-q', 'apply', sb.manifestDir);
    expect(r.signal).toBe('SIGKILL');
    expect(mounted()).toHaveLength(1);
    // the kill came before any later save: the intent saved before the mount names it
    const state = JSON.parse(readFileSync(`${sb.stateDir}/state.json`, 'utf8'));
    expect(state.objects[`netns ${alias}`]).toMatchObject({ owner: `container/${name}`, path: `/run/netns/${rt}` });
    expect(expectExit(sb.ctnet('status'), 0).stdout).toContain(`${alias} -> /run/netns/${rt}  container/${name}`);
    destroyedClean();
  });

  it('an apply that fails on a later step: destroy leaves no name and no mount', () => {
    // a TTL of 0 is refused by the kernel only when written, after the links are made
    sb.write('ct.yaml', ct('net.ipv4.ip_default_ttl: "0"'));
    const r = expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 1);
    expect(r.stderr).toContain('net.ipv4.ip_default_ttl=0: Invalid argument');
    expect(mounted()).toHaveLength(1);
    expect(ipj(alias, 'link', 'show').map((l) => l.ifname)).toContain('eth0');
    destroyedClean();
  });
});
