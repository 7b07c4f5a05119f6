import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, hostSnapshot, ping } from './sandbox.js';
import { ansibleMissing, play } from './ansible-play.js';
import { container, doc, docs } from '../fixtures.js';

const MANIFESTS = docs(
  doc('Network', 'lan', '{type: bridge, subnets: [10.61.0.0/24], gateway: 10.61.0.1}'),
  container('ct1', '{name: eth0, network: lan, addresses: [10.61.0.11/24]}'),
  container('ct2', '{name: eth0, network: lan, addresses: [10.61.0.12/24]}'),
);

// ansible-playbook comes from the distribution (CI installs ansible-core with apt, which may fail)
const missing = ansibleMissing();
if (missing) console.log(`ansible.test.ts skipped: ${missing}`);

/** The Ansible module ctnet_apply, run by ansible-playbook on the local connection against a sandbox. */
describe.skipIf(missing !== undefined)('ansible: ctnet_apply', () => {
  // made here, not in the describe body, so a skipped run creates no namespace
  let sb: Sandbox;
  beforeAll(() => {
    sb = new Sandbox();
    sb.write('lan.yaml', MANIFESTS);
  });
  afterAll(() => sb.cleanup());

  const names = () => [sb.ns('ct1'), sb.ns('ct2')];

  it('check mode reports changed with the plan as the diff, and changes nothing', () => {
    const before = hostSnapshot(sb.host);
    const r = play(sb, { check: true, diff: true });
    expect(r.exit, r.task.msg).toBe(0);
    expect(r.task).toMatchObject({ changed: true, result: 'dry-run' });
    expect(r.task.actions).toContain(`create netns ${sb.ns('ct1')}`);
    expect(r.task.actions).toContain('create link br-lan (host)');
    expect(r.task.diff?.prepared).toContain(`+ netns ${sb.ns('ct2')} will be created`);
    expect(r.stats.changed).toBe(1);
    expect(sb.namespaces()).toEqual([]);
    expect(hostSnapshot(sb.host)).toEqual(before);
  }, 120_000);

  it('a run applies (changed), a second run reports changed=false, in check mode too', () => {
    const first = play(sb);
    expect(first.exit, first.task.msg).toBe(0);
    expect(first.task).toMatchObject({ changed: true, result: 'applied' });
    expect(sb.namespaces()).toEqual(names());
    expect(ping(sb.ns('ct1'), '10.61.0.12')).toBe(true);
    expect(ping(sb.ns('ct2'), '10.61.0.1')).toBe(true);

    const second = play(sb);
    expect(second.task).toMatchObject({ changed: false, result: 'no-changes', actions: [] });
    expect(second.stats.changed).toBe(0);
    const checked = play(sb, { check: true, diff: true });
    expect(checked.task).toMatchObject({ changed: false, actions: [] });
    expect(checked.task.diff).toBeUndefined();
  }, 120_000);

  it("a rejected manifest fails the task with ctnet's error, changing nothing", () => {
    const bad = join(sb.dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'net.yaml'), doc('Network', 'big', '{type: bridge, mtu: 99999}'));
    const before = hostSnapshot(sb.host);
    const r = play(sb, { manifests: bad });
    expect(r.exit).toBe(2);
    expect(r.task).toMatchObject({ failed: true, rc: 3 });
    expect(r.task.msg).toContain(`${join(bad, 'net.yaml')}:4:`);
    expect(r.task.msg).toContain('spec.mtu: must be <= 65535');
    expect(r.task.errors?.[0]).toMatchObject({ file: join(bad, 'net.yaml'), line: 4 });
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sb.namespaces()).toEqual(names());
  }, 120_000);

  it('state absent: check mode keeps everything, then a run destroys (changed), then nothing is left to do', () => {
    const checked = play(sb, { state: 'absent', check: true, diff: true });
    expect(checked.task).toMatchObject({ changed: true, result: 'dry-run' });
    expect(checked.task.actions).toContain(`delete netns ${sb.ns('ct1')}`);
    expect(checked.task.diff?.prepared).toContain('- link br-lan (host) will be deleted');
    expect(sb.namespaces()).toEqual(names());

    const gone = play(sb, { state: 'absent' });
    expect(gone.exit, gone.task.msg).toBe(0);
    expect(gone.task).toMatchObject({ changed: true, result: 'applied' });
    expect(sb.namespaces()).toEqual([]);
    expect(hostSnapshot(sb.host).links.some((l) => l.startsWith('br-lan '))).toBe(false);

    const again = play(sb, { state: 'absent' });
    expect(again.task).toMatchObject({ changed: false, result: 'no-changes' });
  }, 120_000);
});
