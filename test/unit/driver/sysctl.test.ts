import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSysctl, readSysctlFamily, readSysctls, sysctlPath, writeSysctls } from '../../../src/driver/sysctl.js';
import { commandLine } from '../../../src/driver/iproute2-render.js';

describe('sysctlPath', () => {
  it.each([
    ['net.ipv4.ip_forward', '/proc/sys/net/ipv4/ip_forward'],
    ['net.ipv4.conf.all.forwarding', '/proc/sys/net/ipv4/conf/all/forwarding'],
    ['net.ipv4.conf.eth0.100.forwarding', '/proc/sys/net/ipv4/conf/eth0.100/forwarding'],
    ['net.ipv6.conf.br.lan.0.proxy_ndp', '/proc/sys/net/ipv6/conf/br.lan.0/proxy_ndp'],
    ['net.ipv4.neigh.v.1.proxy_delay', '/proc/sys/net/ipv4/neigh/v.1/proxy_delay'],
    ['net.ipv6.neigh.default.gc_thresh1', '/proc/sys/net/ipv6/neigh/default/gc_thresh1'],
    ['net.ipv4.conf.a-b_c.rp_filter', '/proc/sys/net/ipv4/conf/a-b_c/rp_filter'],
    ['net.ipv4.ip_local_port_range', '/proc/sys/net/ipv4/ip_local_port_range'],
    ['net/ipv4/conf/eth0.100/forwarding', '/proc/sys/net/ipv4/conf/eth0.100/forwarding'],
    ['net/ipv4/ip_forward', '/proc/sys/net/ipv4/ip_forward'],
    ['kernel.hostname', '/proc/sys/kernel/hostname'],
  ])('%s → %s', (key, path) => expect(sysctlPath(key)).toBe(path));

  it.each([
    '',
    '/proc/sys/net/ipv4/ip_forward',
    '/net/ipv4/ip_forward',
    'net/../../etc/passwd',
    '../etc/shadow',
    'net/ipv4/..',
    'net.ipv4.conf....forwarding', // interface part ".." would climb out of conf/
    'net.ipv4.conf...forwarding',
    'net..ipv4.ip_forward',
    'net.ipv4.ip_forward.',
    'net/ipv4//ip_forward',
    'net/ipv4/./ip_forward',
    'net.ipv4.ip_forward;reboot',
    'net.ipv4.ip forward',
    "net.ipv4.ip_forward'",
    'net.ipv4.conf.*.forwarding',
    'net.ipv4.ip_forward\n',
    'net.ipv4.conf.eth0:1.forwarding',
    'net.ipv4.conf.$(id).forwarding',
  ])('rejects key %j', (key) => {
    expect(() => sysctlPath(key)).toThrow(/invalid sysctl key/);
    expect(() => checkSysctl(key, '1')).toThrow(/invalid sysctl key/);
  });

  it.each(['1', '0', '', '32768 60999', '32768\t60999', 'reno,cubic', 'fe80::1', 'a_b.c-d'])('accepts value %j', (v) =>
    expect(() => checkSysctl('net.ipv4.ip_forward', v)).not.toThrow(),
  );

  it.each(["1'", '1\n', '$(id)', '`id`', '1;2', '1>x', 'a/b', '"', '1|2', '\\', '\r'])('rejects value %j', (v) =>
    expect(() => checkSysctl('net.ipv4.ip_forward', v)).toThrow(/invalid sysctl value/),
  );

  it('script text uses the mapped path and refuses unsafe input', () => {
    expect(
      commandLine({ op: 'sysctl-set', ns: null, key: 'net.ipv4.conf.eth0.100.forwarding', value: '1' }, null),
    ).toBe("echo '1' > /proc/sys/net/ipv4/conf/eth0.100/forwarding");
    expect(commandLine({ op: 'sysctl-set', ns: 'ct1', key: 'net.ipv4.ip_forward', value: '1' }, null)).toBe(
      "echo '1' | ip netns exec ct1 tee /proc/sys/net/ipv4/ip_forward >/dev/null",
    );
    expect(() =>
      commandLine({ op: 'sysctl-set', ns: null, key: 'net.ipv4.ip_forward', value: "1'; reboot; '" }, null),
    ).toThrow();
  });

  it('unsafe items are reported, not written, and do not stop the others', async () => {
    // no namespace needed: nothing may run for an unsafe item; a missing namespace fails the safe one
    const bad = await writeSysctls(`ctx-missing-${randomBytes(4).toString('hex')}`, [
      { key: 'net/../x', value: '1' },
      { key: 'net.ipv4.ip_forward', value: '1; reboot' },
    ]);
    expect(bad.map((f) => f.key)).toEqual(['net/../x', 'net.ipv4.ip_forward']);
    expect(bad[0].message).toMatch(/^net\/\.\.\/x=1: invalid sysctl key/);
    expect(bad[1].message).toMatch(/^net\.ipv4\.ip_forward=1; reboot: invalid sysctl value/);
  });

  it('readSysctlFamily refuses a leaf that is not a plain name', async () => {
    await expect(readSysctlFamily('x', 4, '*')).rejects.toThrow(/invalid sysctl leaf/);
    await expect(readSysctlFamily('x', 4, 'a/b')).rejects.toThrow(/invalid sysctl leaf/);
    await expect(readSysctlFamily('x', 4, 'a.b')).rejects.toThrow(/invalid sysctl leaf/);
  });
});

const sh = (...args: string[]): string =>
  execFileSync(args[0], args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('sysctls in a real namespace', () => {
  const prefix = `ctu${randomBytes(4).toString('hex')}`;
  const ns = `${prefix}-sys`;
  const peer = `${prefix}-peer`;
  const created: string[] = [];
  const cat = (path: string): string => sh('ip', 'netns', 'exec', ns, 'cat', path).trim();

  beforeAll(() => {
    for (const n of [ns, peer]) {
      sh('ip', 'netns', 'add', n);
      created.push(n);
    }
    sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
    sh('ip', '-n', ns, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'p0', 'netns', peer);
    sh('ip', '-n', ns, 'link', 'add', 'v.1', 'type', 'veth', 'peer', 'name', 'p1', 'netns', peer);
  });

  afterAll(() => {
    for (const n of created) spawnSync('ip', ['netns', 'del', n]);
  });

  it('writes every item, reports each refused one with key, value and the kernel message', async () => {
    const failures = await writeSysctls(ns, [
      { key: 'net.ipv4.ip_default_ttl', value: '0' }, // out of range 1..255: EINVAL
      { key: 'net.ipv4.conf.all.forwarding', value: '1' },
      { key: 'net.ipv4.ip_forward', value: 'abc' }, // not a number: EINVAL
      { key: 'net.ipv4.conf.default.rp_filter', value: '2' },
      { key: 'net.ipv4.no_such_key', value: '1' },
    ]);
    expect(failures).toEqual([
      { key: 'net.ipv4.ip_default_ttl', message: 'net.ipv4.ip_default_ttl=0: Invalid argument' },
      { key: 'net.ipv4.ip_forward', message: 'net.ipv4.ip_forward=abc: Invalid argument' },
      { key: 'net.ipv4.no_such_key', message: 'net.ipv4.no_such_key=1: No such file or directory' },
    ]);
    expect(cat('/proc/sys/net/ipv4/conf/all/forwarding')).toBe('1');
    expect(cat('/proc/sys/net/ipv4/conf/default/rp_filter')).toBe('2');
    expect(cat('/proc/sys/net/ipv4/ip_default_ttl')).toBe('64');
  });

  it('an empty list writes nothing and succeeds', async () => {
    expect(await writeSysctls(ns, [])).toEqual([]);
  });

  it('reads keys back as spelt, missing keys absent', async () => {
    const got = await readSysctls(ns, [
      'net.ipv4.conf.all.forwarding',
      'net/ipv4/conf/default/rp_filter',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.no_such_key',
      'net.ipv4.ip_default_ttl',
    ]);
    expect(got).toEqual({
      'net.ipv4.conf.all.forwarding': '1',
      'net/ipv4/conf/default/rp_filter': '2',
      'net.ipv4.ip_local_port_range': expect.stringMatching(/^\d+\t\d+$/),
      'net.ipv4.ip_default_ttl': '64',
    });
    expect(await readSysctls(ns, [])).toEqual({});
  });

  it('a multi-word value round-trips', async () => {
    expect(await writeSysctls(ns, [{ key: 'net.ipv4.ip_local_port_range', value: '20000 30000' }])).toEqual([]);
    expect(await readSysctls(ns, ['net.ipv4.ip_local_port_range'])).toEqual({
      'net.ipv4.ip_local_port_range': '20000\t30000',
    });
  });

  it('reads and writes a key whose interface name has a dot', async () => {
    expect(
      await writeSysctls(ns, [
        { key: 'net.ipv4.conf.v.1.rp_filter', value: '1' },
        { key: 'net.ipv6.conf.v.1.forwarding', value: '1' },
      ]),
    ).toEqual([]);
    expect(cat('/proc/sys/net/ipv4/conf/v.1/rp_filter')).toBe('1');
    expect(
      await readSysctls(ns, [
        'net.ipv4.conf.v.1.rp_filter',
        'net.ipv6.conf.v.1.forwarding',
        'net/ipv4/conf/v.1/rp_filter',
      ]),
    ).toEqual({
      'net.ipv4.conf.v.1.rp_filter': '1',
      'net.ipv6.conf.v.1.forwarding': '1',
      'net/ipv4/conf/v.1/rp_filter': '1',
    });
  });

  it('readSysctlFamily lists all, default, lo and every interface, dotted names included', async () => {
    expect(await writeSysctls(ns, [{ key: 'net.ipv4.conf.veth0.forwarding', value: '0' }])).toEqual([]);
    expect(await readSysctlFamily(ns, 4, 'forwarding')).toEqual({
      'net.ipv4.conf.all.forwarding': '1',
      'net.ipv4.conf.default.forwarding': '1',
      'net.ipv4.conf.lo.forwarding': '1', // set by conf.all=1 above
      'net.ipv4.conf.v.1.forwarding': '1',
      'net.ipv4.conf.veth0.forwarding': '0',
    });
    const v6 = await readSysctlFamily(ns, 6, 'proxy_ndp');
    expect(Object.keys(v6).sort()).toEqual(
      ['all', 'default', 'lo', 'v.1', 'veth0'].map((i) => `net.ipv6.conf.${i}.proxy_ndp`),
    );
    expect(new Set(Object.values(v6))).toEqual(new Set(['0']));
    expect(await readSysctlFamily(ns, 4, 'no_such_leaf')).toEqual({});
  });

  it('global ip_forward rewrites every conf.*.forwarding; readSysctlFamily sees it', async () => {
    expect(await writeSysctls(ns, [{ key: 'net.ipv4.ip_forward', value: '0' }])).toEqual([]);
    const all = await readSysctlFamily(ns, 4, 'forwarding');
    expect(Object.values(all).every((v) => v === '0')).toBe(true);
    expect(Object.keys(all)).toHaveLength(5);
  });

  it('a missing namespace is an error for reads and a failure per key for writes', async () => {
    const gone = `${prefix}-gone`;
    await expect(readSysctls(gone, ['net.ipv4.ip_forward'])).rejects.toThrow(/reading sysctls in .*-gone failed/);
    await expect(readSysctlFamily(gone, 4, 'forwarding')).rejects.toThrow(/failed/);
    const f = await writeSysctls(gone, [
      { key: 'net.ipv4.ip_forward', value: '1' },
      { key: 'net.ipv4.conf.all.forwarding', value: '1' },
    ]);
    expect(f.map((x) => x.key)).toEqual(['net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding']);
    expect(f[0].message).toMatch(/^net\.ipv4\.ip_forward=1: Cannot open network namespace/);
  });
});

describe('sysctls of the real host (netns null), read only', () => {
  it('reads in-process what grep reads', async () => {
    const got = await readSysctls(null, ['net.ipv4.ip_forward', 'net/ipv4/ip_forward', 'net.ipv4.no_such_key']);
    const want = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    expect(got).toEqual({ 'net.ipv4.ip_forward': want, 'net/ipv4/ip_forward': want });
    const fam = await readSysctlFamily(null, 4, 'forwarding');
    expect(fam['net.ipv4.conf.all.forwarding']).toBe(
      readFileSync('/proc/sys/net/ipv4/conf/all/forwarding', 'utf8').trim(),
    );
    expect(Object.keys(fam)).toEqual(
      expect.arrayContaining([
        'net.ipv4.conf.all.forwarding',
        'net.ipv4.conf.default.forwarding',
        'net.ipv4.conf.lo.forwarding',
      ]),
    );
  });

  it('a key the kernel lacks is reported, never created', async () => {
    expect(await writeSysctls(null, [{ key: 'net.ipv4.ctnet_no_such_key', value: '1' }])).toEqual([
      { key: 'net.ipv4.ctnet_no_such_key', message: 'net.ipv4.ctnet_no_such_key=1: No such file or directory' },
    ]);
  });
});

/**
 * The in-process writer (netns null) run for real, but inside a test namespace: the module is
 * transpiled to a temp dir and run by `ip netns exec NS node`, so the host is never written.
 */
describe.skipIf(!isRoot)('in-process writes, inside a namespace', () => {
  const ns = `ctu${randomBytes(4).toString('hex')}-proc`;
  const dir = mkdtempSync(join(tmpdir(), 'ctnet-sysctl-'));
  let made = false;

  beforeAll(() => {
    sh('ip', 'netns', 'add', ns);
    made = true;
    sh('ip', '-n', ns, 'link', 'add', 'v.1', 'type', 'bridge');
    for (const f of ['sysctl', 'spawn']) {
      const src = readFileSync(join(import.meta.dirname, `../../../src/driver/${f}.ts`), 'utf8');
      const js = ts.transpileModule(src, {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(join(dir, `${f}.js`), js);
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  });

  afterAll(() => {
    if (made) spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes all, reports every refusal with the kernel message, reads back', () => {
    const script = `
      import { writeSysctls, readSysctls, readSysctlFamily } from ${JSON.stringify(join(dir, 'sysctl.js'))};
      const failures = await writeSysctls(null, [
        { key: 'net.ipv4.ip_default_ttl', value: '0' },
        { key: 'net.ipv4.conf.v.1.forwarding', value: '1' },
        { key: 'net.ipv4.ip_forward', value: 'abc' },
        { key: 'net.ipv4.conf.default.rp_filter', value: '2' },
      ]);
      const read = await readSysctls(null, ['net.ipv4.conf.v.1.forwarding', 'net.ipv4.conf.default.rp_filter', 'net.ipv4.nope']);
      const family = await readSysctlFamily(null, 4, 'forwarding');
      console.log(JSON.stringify({ failures, read, family }));`;
    const out = sh('ip', 'netns', 'exec', ns, process.execPath, '--input-type=module', '-e', script);
    expect(JSON.parse(out)).toEqual({
      failures: [
        { key: 'net.ipv4.ip_default_ttl', message: 'net.ipv4.ip_default_ttl=0: Invalid argument' },
        { key: 'net.ipv4.ip_forward', message: 'net.ipv4.ip_forward=abc: Invalid argument' },
      ],
      read: { 'net.ipv4.conf.v.1.forwarding': '1', 'net.ipv4.conf.default.rp_filter': '2' },
      family: {
        'net.ipv4.conf.all.forwarding': '0',
        'net.ipv4.conf.default.forwarding': '0',
        'net.ipv4.conf.lo.forwarding': '0',
        'net.ipv4.conf.v.1.forwarding': '1',
      },
    });
  });
});
