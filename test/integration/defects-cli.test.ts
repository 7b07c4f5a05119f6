import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Sandbox, expectExit, hostSnapshot, ipj, sh, sysctl } from './sandbox.js';
import { container, doc, docs } from '../fixtures.js';

/** Command-line contract: empty input, dry-run destroy, --adopt limits, sysctl checks, --json, the lock, --version. */

const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');
const NET = doc('Network', 'lan', '{type: bridge, subnets: [10.50.0.0/24], gateway: 10.50.0.1}');
const CT1 = container('ct1', '{name: eth0, network: lan, addresses: [10.50.0.11/24]}');
const CT2 = container('ct2', '{name: eth0, network: lan, addresses: [10.50.0.12/24]}');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const hostLinks = (sb: Sandbox): string[] =>
  ipj(sb.host, 'link', 'show')
    .map((l) => l.ifname)
    .filter((n) => /^(br|ve)-/.test(n))
    .sort();

describe('empty input and destroy --dry-run', () => {
  const sb = new Sandbox();
  const empty = join(sb.dir, 'empty');
  const noManifests = join(sb.dir, 'no-manifests');
  beforeAll(() => {
    sb.write('m.yaml', docs(NET, CT1, CT2));
    mkdirSync(empty);
    mkdirSync(join(noManifests, '.hidden'), { recursive: true });
    writeFileSync(join(noManifests, 'notes.txt'), 'not a manifest\n');
    writeFileSync(join(noManifests, '.hidden', 'ct.yaml'), CT1.replaceAll('@', `${sb.prefix}-`));
  });
  afterAll(() => sb.cleanup());
  /** Each test starts from a converged apply, so that what it checks is its own doing. */
  const applied = (): void => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(sb.namespaces()).toEqual([sb.ns('ct1'), sb.ns('ct2')]);
  };

  it('destroy --dry-run names what would go and changes nothing', () => {
    applied();
    const nsBefore = sb.namespaces();
    const before = hostSnapshot(sb.host);
    const r = sb.ctnet('destroy', '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(sb.ns('ct1'));
    expect(r.stdout).toContain(sb.ns('ct2'));
    expect(sb.namespaces()).toEqual(nsBefore);
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(hostLinks(sb)).toEqual(['br-lan', 've-ct1-eth0', 've-ct2-eth0']);
  });

  it('apply of an empty directory is rejected, naming the empty input and --allow-empty', () => {
    applied();
    const before = hostSnapshot(sb.host);
    const r = sb.ctnet('apply', empty);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/empty/i);
    expect(r.stderr).toContain('--allow-empty');
    expect(sb.namespaces()).toEqual([sb.ns('ct1'), sb.ns('ct2')]);
    expect(hostSnapshot(sb.host)).toEqual(before);
  });

  it('a directory with no manifest files (only hidden ones and others) is empty input too', () => {
    applied();
    const r = sb.ctnet('apply', noManifests);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--allow-empty');
    expect(sb.namespaces()).toEqual([sb.ns('ct1'), sb.ns('ct2')]);
  });

  it('apply of a missing path is rejected', () => {
    applied();
    const r = sb.ctnet('apply', '/nonexistent');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('/nonexistent');
    expect(sb.namespaces()).toEqual([sb.ns('ct1'), sb.ns('ct2')]);
    expect(hostLinks(sb)).toEqual(['br-lan', 've-ct1-eth0', 've-ct2-eth0']);
  });

  it('apply --allow-empty of an empty directory removes everything ctnet created', () => {
    applied();
    const r = sb.ctnet('apply', '-q', '--allow-empty', empty);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sb.namespaces()).toEqual([]);
    expect(hostLinks(sb)).toEqual([]);
  });
});

describe('--adopt never claims the host namespace or the one ctnet runs in', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());
  const listed = (name: string): boolean =>
    existsSync(join('/run/netns', name)) && spawnSync('ip', ['-n', name, 'link', 'show', 'lo']).status === 0;

  it('a container whose netns is the --host-netns namespace: exit 3 with or without --adopt; destroy keeps it', () => {
    sb.write('m.yaml', doc('Container', 'ct1', '{netns: "@host"}'));
    for (const extra of [[], ['--adopt']]) {
      const r = sb.ctnet('apply', ...extra, sb.manifestDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(sb.host);
      expect(listed(sb.host)).toBe(true);
    }
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(listed(sb.host)).toBe(true);
  });

  it('a container whose netns is the namespace ctnet runs in: exit 3 with --adopt; destroy keeps it', () => {
    const runner = sb.ns('runner');
    sh('ip', 'netns', 'add', runner);
    sb.write('m.yaml', doc('Container', 'ct1', '{netns: "@runner"}'));
    // nothing is created here: the only namespace named is the one ctnet runs in
    const r = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        runner,
        'node',
        BIN,
        '--host-netns',
        sb.host,
        '--state-dir',
        sb.stateDir,
        'apply',
        '--adopt',
        sb.manifestDir,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(runner);
    expect(listed(runner)).toBe(true);
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(listed(runner)).toBe(true);
  });
});

describe('host sysctls are checked before any change', () => {
  const sb = new Sandbox();
  const pwned = `/tmp/ctnet-pwned-${sb.prefix}`;
  const host = (sysctls: string): string => docs(NET, CT1, doc('Host', 'default', `{sysctls: {${sysctls}}}`));
  beforeAll(() => rmSync(pwned, { force: true }));
  afterAll(() => {
    rmSync(pwned, { force: true });
    sb.cleanup();
  });

  const untouched = (fn: () => void): void => {
    const before = hostSnapshot(sb.host);
    const nsBefore = sb.namespaces();
    const arp = sysctl(sb.host, 'net.ipv4.conf.all.arp_ignore');
    fn();
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sb.namespaces()).toEqual(nsBefore);
    expect(sysctl(sb.host, 'net.ipv4.conf.all.arp_ignore')).toBe(arp);
  };

  it('a key the kernel does not have: exit 3 naming it, nothing changed', () => {
    sb.write('m.yaml', host('net.ipv4.no_such_key: "1", net.ipv4.conf.all.arp_ignore: "1"'));
    untouched(() => {
      const r = sb.ctnet('apply', sb.manifestDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('net.ipv4.no_such_key');
    });
  });

  for (const value of ['1; touch @PWNED', '$(touch @PWNED)', '`touch @PWNED`']) {
    it(`a value outside the safe set (${value.replace('@PWNED', 'FILE')}): exit 3, never run`, () => {
      sb.write('m.yaml', host(`net.ipv4.conf.all.arp_ignore: ${JSON.stringify(value.replace('@PWNED', pwned))}`));
      untouched(() => {
        const r = sb.ctnet('apply', sb.manifestDir);
        expect(r.code).toBe(3);
        expect(r.stderr).toContain('net.ipv4.conf.all.arp_ignore');
      });
      expect(existsSync(pwned)).toBe(false);
    });
  }

  it('a value the kernel refuses: exit 1 naming the key and the kernel message, no stack trace', () => {
    const before = sysctl(sb.host, 'net.ipv4.ip_local_port_range');
    sb.write('m.yaml', host('net.ipv4.ip_local_port_range: "9 1"'));
    const r = sb.ctnet('apply', sb.manifestDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('net.ipv4.ip_local_port_range');
    expect(r.stderr).toMatch(/Invalid argument/i);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // the kernel really refused it
    expect(sysctl(sb.host, 'net.ipv4.ip_local_port_range')).toBe(before);
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });
});

describe('--json prints exactly one document', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.write('m.yaml', docs(NET, CT1));
  });
  afterAll(() => sb.cleanup());

  const run = (...args: string[]): { code: number; doc: any } => {
    const r = sb.ctnet(...args);
    let parsed: unknown;
    expect(
      () => (parsed = JSON.parse(r.stdout)),
      `stdout is one JSON document:\n${r.stdout}\n${r.stderr}`,
    ).not.toThrow();
    return { code: r.code, doc: parsed };
  };
  const shape = (d: any, command: string, result: string): void => {
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['command', 'errors', 'formatVersion', 'plan', 'result']));
    expect(d.formatVersion).toBe(1);
    expect(d.command).toBe(command);
    expect(d.result).toBe(result);
    expect(Array.isArray(d.errors)).toBe(true);
    if (d.plan !== null) {
      expect(d.plan.formatVersion).toBe(1);
      expect(Array.isArray(d.plan.changes)).toBe(true);
      expect(Object.keys(d.plan.summary).sort()).toEqual(['create', 'delete', 'replace', 'update']);
    }
  };

  it('apply: result applied, the plan, no errors', () => {
    const { code, doc: j } = run('--json', 'apply', sb.manifestDir);
    expect(code).toBe(0);
    shape(j, 'apply', 'applied');
    expect(j.errors).toEqual([]);
    expect(j.plan.changes.length).toBeGreaterThan(0);
    expect(j.plan.summary.create).toBeGreaterThan(0);
    expect(sb.namespaces()).toEqual([sb.ns('ct1')]);
  });

  it('a second apply (flag after the command): result no-changes', () => {
    const { code, doc: j } = run('apply', sb.manifestDir, '--json');
    expect(code).toBe(0);
    shape(j, 'apply', 'no-changes');
    expect(j.plan.changes).toEqual([]);
    expect(j.errors).toEqual([]);
  });

  it('apply --dry-run: result dry-run, nothing made', () => {
    sb.write('ct2.yaml', CT2);
    const { code, doc: j } = run('--json', 'apply', '--dry-run', sb.manifestDir);
    expect(code).toBe(0);
    shape(j, 'apply', 'dry-run');
    expect(j.plan.summary.create).toBeGreaterThan(0);
    expect(sb.namespaces()).toEqual([sb.ns('ct1')]);
    sb.remove('ct2.yaml');
  });

  it('invalid manifests: exit 3, plan null, result rejected, errors with their place', () => {
    sb.write('bad.yaml', container('ct3', '{name: eth0, network: lan, addresses: [10.0.0.300/24]}'));
    const { code, doc: j } = run('--json', 'apply', sb.manifestDir);
    sb.remove('bad.yaml');
    expect(code).toBe(3);
    shape(j, 'apply', 'rejected');
    expect(j.plan).toBeNull();
    expect(j.errors.length).toBeGreaterThan(0);
    const e = j.errors[0];
    expect(Object.keys(e)).toEqual(expect.arrayContaining(['file', 'line', 'column', 'path', 'code', 'message']));
    expect(e.file).toContain('bad.yaml');
    expect(typeof e.line).toBe('number');
    expect(typeof e.column).toBe('number');
    expect(e.path).toContain('spec.interfaces[0].addresses');
    expect(sb.namespaces()).toEqual([sb.ns('ct1')]);
  });

  it('a kernel refusal: exit 1, result failed, errors', () => {
    sb.write('host.yaml', doc('Host', 'default', '{sysctls: {net.ipv4.ip_local_port_range: "9 1"}}'));
    const { code, doc: j } = run('--json', 'apply', sb.manifestDir);
    sb.remove('host.yaml');
    expect(code).toBe(1);
    shape(j, 'apply', 'failed');
    expect(j.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(j.errors)).toContain('ip_local_port_range');
  });

  it('destroy: one document, command destroy', () => {
    const { code, doc: j } = run('--json', 'destroy');
    expect(code).toBe(0);
    shape(j, 'destroy', 'applied');
    expect(j.plan.summary.delete).toBeGreaterThan(0);
    expect(j.errors).toEqual([]);
    expect(sb.namespaces()).toEqual([]);
  });
});

describe('the lock: flock on <state-dir>/lock with the holder pid in it', () => {
  const sb = new Sandbox();
  const lock = join(sb.stateDir, 'lock');
  const holders: number[] = [];
  beforeAll(() => {
    sb.write('m.yaml', docs(NET, CT1));
    mkdirSync(sb.stateDir, { recursive: true });
  });
  afterAll(() => {
    for (const pid of holders) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    sb.cleanup();
  });

  const held = (): boolean => spawnSync('flock', ['-n', '-x', lock, 'true']).status !== 0;

  /** `flock -x lock sleep N` in its own process group, its pid written into the lock file. */
  async function holder(seconds: number): Promise<{ pid: number; gone: Promise<void> }> {
    const child = spawn('flock', ['-o', '-x', lock, 'sleep', String(seconds)], { detached: true, stdio: 'ignore' });
    const gone = new Promise<void>((r) => child.on('close', () => r()));
    holders.push(child.pid!);
    for (const deadline = Date.now() + 5000; !held() && Date.now() < deadline;) await sleep(20);
    expect(held()).toBe(true);
    writeFileSync(lock, `${child.pid}\n`);
    return { pid: child.pid!, gone };
  }

  it('held: apply exits 4 naming the holder pid, changes nothing; --wait 1 still exits 4', async () => {
    const h = await holder(30);
    const r = sb.ctnet('apply', sb.manifestDir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(String(h.pid));
    const t0 = Date.now();
    const w = sb.ctnet('--wait', '1', 'apply', sb.manifestDir);
    expect(w.code).toBe(4);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(held()).toBe(true);
    expect(sb.namespaces()).toEqual([]);
    process.kill(-h.pid, 'SIGKILL');
    await h.gone;
  });

  for (const where of ['global', 'command'] as const) {
    it(`--wait 10 (${where} flag) waits for the holder to go, then applies`, async () => {
      if (where === 'command') expectExit(sb.ctnet('destroy', '-q'), 0);
      const h = await holder(1);
      const t0 = Date.now();
      const args =
        where === 'global' ? ['--wait', '10', 'apply', sb.manifestDir] : ['apply', '--wait', '10', sb.manifestDir];
      const r = sb.ctnet(...args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // it did wait: the holder kept the lock for about a second
      expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
      await h.gone;
      expect(sb.namespaces()).toEqual([sb.ns('ct1')]);
      expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    });
  }
});

describe('--version', () => {
  it('prints the package.json version, exit 0', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    const r = spawnSync('node', [BIN, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
