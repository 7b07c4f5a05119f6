import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, hostSnapshot, sh } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * Failures of the state dir say what happened and lose nothing: a full or read-only state dir
 * (a real tmpfs, mounted by the test on a private directory) stops the run before any kernel
 * change; a state file of a newer ctnet is refused, never set aside; plan changes nothing on disk.
 */

const NET = routedNet('public', '192.168.240.0/24', ', uplink: enp0s5');
const ct = (n: number): string => container(`ct${n}`, `{name: venet0, network: public, addresses: [192.168.240.${n}]}`);

/** Every file under `dir` with its size, content digest and mtime: "nothing changed on disk". */
function listing(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    const st = statSync(p);
    out.push(`${p} ${e.isDirectory() ? 'dir' : `${st.size} ${st.mtimeMs} ${readFileSync(p).toString('base64')}`}`);
  }
  return out.sort();
}

const temporaries = (dir: string): string[] =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.includes('.tmp-'));

describe('a full or read-only state dir (a real tmpfs)', () => {
  const sb = new Sandbox();
  const mnt = join(sb.dir, 'tiny');
  const state = join(mnt, 'state');
  let mounted = false;
  const run = (...args: string[]) => sb.ctnetEnv({}, '--state-dir', state, ...args);

  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.240.1/24', '192.168.240.254/24');
    mkdirSync(mnt);
    sh('mount', '-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'ctnet-test-tiny', mnt);
    mounted = true;
    sb.write('net.yaml', NET);
    sb.write('cts.yaml', ct(11));
    expectExit(run('apply', '-q', sb.manifestDir), 0);
    expect(sb.namespaces()).toEqual([sb.ns('ct11')]);
    // the next apply would make a second container
    sb.write('cts.yaml', docs(ct(11), ct(12)));
  });
  afterAll(() => {
    // lazily: a mount still busy is detached all the same, never left behind
    if (mounted) spawnSync('umount', ['-l', mnt]);
    sb.cleanup();
  });

  /** Fills the tmpfs (dd stops at ENOSPC), leaving `slackPages` pages of 4 KiB free; runs `fn`; empties it again. */
  function full(slackPages: number, fn: () => void): void {
    const slack = join(mnt, 'slack');
    try {
      if (slackPages) sh('dd', 'if=/dev/zero', `of=${slack}`, 'bs=4k', `count=${slackPages}`);
      spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'fill')}`, 'bs=4k']);
      sh('rm', '-f', slack);
      fn();
    } finally {
      sh('rm', '-f', join(mnt, 'fill'), slack);
    }
  }

  /** The run failed naming `file` and ENOSPC, before any kernel change, leaving no temporary file. */
  function refusedFull(file: string): void {
    const before = { host: hostSnapshot(sb.host), state: readFileSync(join(state, 'state.json'), 'utf8') };
    const r = run('apply', sb.manifestDir);
    const words = `cannot write (lock|state) file ${join(state, file)}: ENOSPC: no space left on device`;
    expect(r.stderr).toMatch(new RegExp(words));
    expect(r.stderr).toMatch(/nothing was changed/);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    expect(sb.namespaces()).toEqual([sb.ns('ct11')]);
    expect(hostSnapshot(sb.host)).toEqual(before.host);
    expect(temporaries(mnt)).toEqual([]);
    expect(readFileSync(join(state, 'state.json'), 'utf8')).toBe(before.state);
    // --json: one document with the error
    const j = run('--json', 'apply', sb.manifestDir);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).errors[0].message).toContain('ENOSPC');
    expect(temporaries(mnt)).toEqual([]);
  }

  it('full to the last block (ENOSPC): the lock file cannot be written; exit 1 naming it, nothing changed', () => {
    full(0, () => {
      expect(spawnSync('sh', ['-c', `echo x > ${join(mnt, 'probe')}`]).status).not.toBe(0);
      refusedFull('lock');
    });
  });

  it('one block left (ENOSPC): the lock is taken, the intent is not; exit 1 naming state.json, no change', () => {
    full(1, () => refusedFull('state.json'));
  });

  it('read-only (EROFS): exit 1 naming the path and the cause, before any kernel change', () => {
    const before = hostSnapshot(sb.host);
    sh('mount', '-o', 'remount,ro', mnt);
    try {
      const r = run('apply', sb.manifestDir);
      expect(r.stderr).toContain(state);
      expect(r.stderr).toMatch(/EROFS: read-only file system/);
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(1);
      expect(sb.namespaces()).toEqual([sb.ns('ct11')]);
      expect(hostSnapshot(sb.host)).toEqual(before);
      expect(temporaries(mnt)).toEqual([]);
      // destroy cannot record its intent either: it changes nothing
      expect(run('destroy').code).toBe(1);
      expect(sb.namespaces()).toEqual([sb.ns('ct11')]);
      // plan needs no write: it still works on a read-only state dir
      expect(run('plan', sb.manifestDir).code).toBe(0);
    } finally {
      sh('mount', '-o', 'remount,rw', mnt);
    }
    expectExit(run('apply', '-q', sb.manifestDir), 0);
    expect(sb.namespaces()).toEqual([sb.ns('ct11'), sb.ns('ct12')]);
    expectExit(run('destroy', '-q'), 0);
  });
});

describe('a state file written by a newer ctnet', () => {
  const sb = new Sandbox();
  const file = join(sb.stateDir, 'state.json');
  const objects = { 'sysctl host net.ipv4.ip_forward': { owner: 'x', original: '0' } };
  const NEWER = JSON.stringify({ version: 99, instance: 'future', objects });
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.240.1/24', '192.168.240.254/24');
    sb.write('m.yaml', docs(NET, ct(21)));
    mkdirSync(sb.stateDir, { recursive: true });
    writeFileSync(file, NEWER);
  });
  afterAll(() => sb.cleanup());

  for (const cmd of ['apply', 'plan', 'status', 'destroy'] as const) {
    it(`${cmd}: exit 1, "written by a newer ctnet" naming the file and versions; the file stays, no change`, () => {
      const before = hostSnapshot(sb.host);
      const r = sb.ctnet(...(cmd === 'status' || cmd === 'destroy' ? [cmd] : [cmd, sb.manifestDir]));
      expect(r.stderr).toContain('written by a newer ctnet');
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/version 99\b.*\bversion 2\b/);
      expect(r.stderr).not.toMatch(/corrupt|internal error/);
      expect(r.code).toBe(1);
      expect(readFileSync(file, 'utf8')).toBe(NEWER);
      expect(readdirSync(sb.stateDir).filter((f) => f.startsWith('state.json.'))).toEqual([]);
      expect(sb.namespaces()).toEqual([]);
      expect(hostSnapshot(sb.host)).toEqual(before);
    });
  }
});

describe('plan is read-only', () => {
  const sb = new Sandbox();
  const file = join(sb.stateDir, 'state.json');
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.240.1/24', '192.168.240.254/24');
    sb.write('m.yaml', docs(NET, ct(31)));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
  });
  afterAll(() => sb.cleanup());

  it('a corrupt state file: plan says so, plans from the rebuilt inventory, and changes nothing on disk', () => {
    writeFileSync(file, '{not json');
    // an edited manifest (a new comment): a run that may write would refresh the parse cache
    appendFileSync(join(sb.manifestDir, 'm.yaml'), '# edited\n');
    const before = listing(sb.stateDir);
    const r = sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir);
    expect(r.stderr).toMatch(/state file .*state\.json is corrupt: planned from the ownership rebuilt from kernel/);
    expect(r.stdout).toContain('No changes');
    expect(r.code).toBe(0);
    expect(listing(sb.stateDir)).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe('{not json');
    // apply is the one that sets it aside
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(readdirSync(sb.stateDir).some((f) => f.startsWith('state.json.corrupt-'))).toBe(true);
    expect(existsSync(file)).toBe(true);
  });
});
