import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { Sandbox, expectExit, ipj, ping, waitUntil } from './sandbox.js';
import { hostState, settled } from './host-state.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

const NET = routedNet('public', '192.168.242.0/24', ', uplink: enp0s5');
const ct = (n: number): string => container(`c${n}`, `{name: venet0, network: public, addresses: [192.168.242.${n}]}`);
/** v1: two containers; v2 adds a third and a host sysctl. */
const V1 = docs(NET, ct(11), ct(12));
const V2 = docs(NET, ct(11), ct(12), ct(13), doc('Host', 'h', '{sysctls: {net.ipv4.conf.all.log_martians: "1"}}'));

/** The pids of the reverters of this sandbox's state dir (found as `confirm` finds them: by command line). */
function reverters(stateDir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.includes('__reverter') && argv.includes(stateDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * `apply --confirm SECONDS` as `netplan try` does it, done right: the host goes back by itself
 * unless `ctnet confirm` comes in time, even when everything of the caller is killed.
 */
describe('apply --confirm', () => {
  const sb = new Sandbox();
  let ext = '';
  let v1: ReturnType<typeof hostState>;
  const write = (text: string): void => void sb.write('m.yaml', text);
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.242.1/24', '192.168.242.254/24');
    write(V1);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    settled(sb.host);
    v1 = hostState(sb.host);
    write(V2);
  });
  afterAll(() => {
    for (const pid of reverters(sb.stateDir)) process.kill(pid, 'SIGKILL');
    sb.cleanup();
  });

  /** Each test starts from v1 applied and nothing waiting, with v2 written. */
  beforeEach(() => {
    for (const pid of reverters(sb.stateDir)) process.kill(pid, 'SIGKILL');
    sb.ctnet('confirm', '--revert', '-q');
    write(V1);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    write(V2);
  });

  it('without confirm, reverts at the deadline, though the caller and its whole group were SIGKILLed', async () => {
    const bg = sb.ctnetBackground(['apply', '--confirm', '3', sb.manifestDir]);
    // killed as soon as it says the change waits: the reverter must not be in its group or session
    let out = '';
    await new Promise<void>((res) =>
      bg.child.stdout!.on('data', (d: Buffer) => /Waiting.*\n/.test((out += String(d))) && res()),
    );
    const returned = Date.now();
    const deadline = Date.parse(/Waiting for confirmation until (\S+)/.exec(out)![1]);
    bg.kill('SIGKILL');
    await bg.done;
    // nothing else here before the deadline: what a waiting change refuses is the next test's
    waitUntil(() => !sb.namespaces().includes(sb.ns('c13')), 10_000);
    const took = (Date.now() - returned) / 1000;
    console.log(`apply --confirm 3: reverted ${took.toFixed(2)} s after the apply returned`);
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
    expect(took).toBeLessThanOrEqual(5);
    waitUntil(() => reverters(sb.stateDir).length === 0);
    settled(sb.host);
    expect(hostState(sb.host)).toEqual(v1);
    expect(ping(ext, '192.168.242.12')).toBe(true);
    write(V1);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    const late = sb.ctnet('confirm');
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/no change waits for confirmation; the last one was reverted at .*deadline/);
  });

  it('while a change waits: status shows it, apply and watch exit 4; confirm keeps it and the reverter ends', () => {
    expectExit(sb.ctnet('apply', '-q', '--confirm', '60', sb.manifestDir), 0);
    expect(reverters(sb.stateDir)).toHaveLength(1);
    expect(ping(ext, '192.168.242.13')).toBe(true);
    const st = JSON.parse(expectExit(sb.ctnet('status', '--json'), 0).stdout);
    expect(st.confirmation.pending).toMatchObject({ reverterAlive: true });
    const second = sb.ctnet('apply', sb.manifestDir);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/waits for confirmation until .*ctnet confirm/);
    // watch converges and never rolls back: it does not start over a waiting change
    expect(sb.ctnet('watch', sb.manifestDir).code).toBe(4);
    expect(expectExit(sb.ctnet('confirm'), 0).stdout).toMatch(/Confirmed: the change applied at .* is kept/);
    waitUntil(() => reverters(sb.stateDir).length === 0);
    expect(JSON.parse(sb.ctnet('status', '--json').stdout).confirmation.pending).toBeNull();
    expect(ping(ext, '192.168.242.13')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('confirm --revert puts the host back now', () => {
    expectExit(sb.ctnet('apply', '-q', '--confirm', '60', sb.manifestDir), 0);
    const r = expectExit(sb.ctnet('confirm', '--revert'), 0);
    expect(r.stderr).toMatch(/^rolled back: \d+ changes/m);
    waitUntil(() => reverters(sb.stateDir).length === 0);
    settled(sb.host);
    expect(hostState(sb.host)).toEqual(v1);
  });

  it('an expired confirmation with nothing to revert it (a crash, a reboot): reported, then reverted by the next apply', () => {
    // killed at once, well before its deadline, as a crash or a reboot would end it
    expectExit(sb.ctnet('apply', '-q', '--confirm', '3', sb.manifestDir), 0);
    const [pid] = reverters(sb.stateDir);
    process.kill(pid, 'SIGKILL');
    waitUntil(() => reverters(sb.stateDir).length === 0);
    const { deadline } = JSON.parse(sb.ctnet('status', '--json').stdout).confirmation.pending;
    waitUntil(() => Date.now() > Date.parse(deadline));
    expect(sb.ctnet('status').stderr).toMatch(/was not confirmed by .* and nothing is reverting it/);
    expect(sb.ctnet('plan', sb.manifestDir).stderr).toMatch(/nothing is reverting it/);
    expect(sb.namespaces()).toContain(sb.ns('c13'));
    write(V1);
    const next = expectExit(sb.ctnet('apply', sb.manifestDir), 0);
    expect(next.stderr).toMatch(/was not confirmed by .*: reverted now/);
    expect(next.stdout).toMatch(/No changes/);
    settled(sb.host);
    expect(hostState(sb.host)).toEqual(v1);
  });

  it('set --save --atomic: a refused change puts back the host and the edited manifest', () => {
    write(V1); // the manifests of what the host has: set edits them
    const file = `${sb.manifestDir}/m.yaml`;
    const text = readFileSync(file, 'utf8');
    const r = sb.ctnetEnv(
      { CTNET_FAIL_OP: 'addr-add' },
      'set',
      'c11',
      '--ipadd',
      '192.168.242.111',
      '--save',
      '--atomic',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rolled back: \d+ changes/m);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('set --save --confirm: reverted, the manifest says again what the host has', () => {
    write(V1); // the manifests of what the host has: set edits them
    const file = `${sb.manifestDir}/m.yaml`;
    const text = readFileSync(file, 'utf8');
    expectExit(sb.ctnet('set', 'c11', '--ipadd', '192.168.242.111', '--save', '--confirm', '60', '-q'), 0);
    expect(readFileSync(file, 'utf8')).toContain('192.168.242.111');
    expect(ping(ext, '192.168.242.111')).toBe(true);
    expectExit(sb.ctnet('confirm', '--revert', '-q'), 0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const held = ipj(sb.ns('c11'), '-4', 'addr', 'show', 'dev', 'venet0').flatMap((l) =>
      l.addr_info.map((a: any) => a.local),
    );
    expect(held).toEqual(['192.168.242.11']);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });
});
