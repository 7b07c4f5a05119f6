import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { Sandbox, expectExit, ping, sh } from './sandbox.js';
import { hostState, settled } from './host-state.js';
import { container, docs, routedNet } from '../fixtures.js';

const NET = routedNet('public', '192.168.244.0/24', ', uplink: enp0s5');
const ct = (n: number, mtu = ''): string =>
  container(`c${n}`, `{name: venet0, network: public, addresses: [192.168.244.${n}]${mtu}}`);

/**
 * Terraform's saved plans: `plan --out FILE` saves the plan with the prior state it read; `apply
 * FILE` runs exactly it, or refuses (exit 3, naming what changed, the kernel untouched) when the
 * kernel, the inventory or the manifests are no longer what it was made from.
 */
describe('saved plans', () => {
  const sb = new Sandbox();
  const file = join(sb.dir, 'plan.json');
  let ext = '';
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.244.1/24', '192.168.244.254/24');
    sb.write('m.yaml', docs(NET, ct(11)));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
  });
  afterAll(() => sb.cleanup());

  it('plan --out saves versioned JSON; show renders it as plan would; apply FILE runs exactly it', () => {
    sb.write('m.yaml', docs(NET, ct(11, ', mtu: 1400'), ct(12)));
    const planned = JSON.parse(expectExit(sb.ctnet('plan', '-o', 'json', sb.manifestDir, '--out', file), 0).stdout);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ formatVersion: 1, kind: 'ctnet-plan', hostNetns: sb.host });
    expect(Object.keys(saved.prior.objects).length).toBeGreaterThan(5);
    const shown = JSON.parse(expectExit(sb.ctnet('show', file, '-o', 'json'), 0).stdout);
    expect(shown.changes).toEqual(planned.changes);
    expect(expectExit(sb.ctnet('show', file, '-o', 'script'), 0).stdout).toContain('mtu 1400');
    // for the pull request: the same plan as markdown, each owner's changes in a section of its own
    const md = marked.lexer(expectExit(sb.ctnet('plan', '-o', 'markdown', sb.manifestDir), 0).stdout);
    const sections = md.filter((t) => t.type === 'html' && t.raw.startsWith('<details>')).map((t) => t.raw);
    expect(sections.map((s) => /<summary>(\S+):/.exec(s)![1])).toEqual(
      expect.arrayContaining(['container/c11', 'container/c12']),
    );
    expect(expectExit(sb.ctnet('show', file, '-o', 'markdown'), 0).stdout).toContain('<summary>container/c12: ');
    // another tool's namespace, made meanwhile, is nothing the plan stands on
    sh('ip', 'netns', 'add', sb.ns('other'));
    const applied = JSON.parse(expectExit(sb.ctnet('--json', 'apply', file), 0).stdout);
    expect(applied.result).toBe('applied');
    expect(applied.plan.changes).toEqual(planned.changes);
    expect(ping(ext, '192.168.244.12')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('refuses a plan made before the kernel changed, naming the object, and changes nothing', () => {
    sb.write('m.yaml', docs(NET, ct(11), ct(12)));
    expectExit(sb.ctnet('plan', '-q', sb.manifestDir, '--out', file), 0);
    sh('ip', '-n', sb.host, 'link', 'set', 'dev', 've-c12-venet0', 'mtu', '1300');
    settled(sb.host); // the kernel's own link-locals finish their address detection on its clock
    const before = hostState(sb.host);
    const r = sb.ctnet('apply', file);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the host changed since this plan was made: link host ve-c12-venet0 changed; plan again/);
    expect(hostState(sb.host)).toEqual(before);
  });

  it('refuses a plan made before the manifests or the inventory changed', () => {
    expectExit(sb.ctnet('plan', '-q', sb.manifestDir, '--out', file), 0);
    sb.write('m.yaml', docs(NET, ct(11), ct(12), ct(13)));
    const edited = sb.ctnet('apply', file);
    expect(edited.code).toBe(3);
    expect(edited.stderr).toMatch(/the manifests changed \(.*m\.yaml\)/);
    sb.write('m.yaml', docs(NET, ct(11), ct(12)));
    expectExit(sb.ctnet('plan', '-q', sb.manifestDir, '--out', file), 0);
    // another apply ran meanwhile: the kernel and the inventory moved on
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const late = sb.ctnet('apply', file);
    expect(late.code).toBe(3);
    expect(late.stderr).toMatch(/inventory changed/);
    expect(sb.ctnet('show', join(sb.manifestDir, 'm.yaml')).stderr).toMatch(/not a plan saved by ctnet plan --out/);
  });
});
