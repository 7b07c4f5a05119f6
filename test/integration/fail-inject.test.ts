import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, ping } from './sandbox.js';
import { targetOf, type Op } from '../../src/model/ops.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * The failure hook contributors use (CTNET_FAIL_OP, docs/architecture.md): the chosen operation
 * is refused as the kernel would refuse it, at the same place on every run. Here: the second
 * namespace of a routed apply.
 */
describe('a failure injected at a chosen operation', () => {
  const sb = new Sandbox();
  let ext = '';
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.240.1/24', '192.168.240.254/24');
    const cts = [1, 2, 3].map((n) =>
      container(`c${n}`, `{name: venet0, network: public, addresses: [192.168.240.${n + 10}]}`),
    );
    sb.write('m.yaml', docs(routedNet('public', '192.168.240.0/24', ', uplink: enp0s5'), ...cts));
  });
  afterAll(() => sb.cleanup());

  it('refuses exactly that operation: what depends on it is skipped, the rest is applied and works', () => {
    const r = sb.ctnetEnv({ CTNET_FAIL_OP: 'netns-add:2' }, 'apply', sb.manifestDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ip netns add \S+-c2: refused on purpose \(CTNET_FAIL_OP=netns-add:2\)/);
    expect(r.stderr).toMatch(/not run, because a change they depend on failed/);
    expect(sb.namespaces()).toEqual([sb.ns('c1'), sb.ns('c3')]);
    expect(ping(ext, '192.168.240.11')).toBe(true);
    expect(ping(ext, '192.168.240.13')).toBe(true);
  });

  it('the next apply, without the hook, finishes the work', () => {
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ping(ext, '192.168.240.12')).toBe(true);
  });

  it('a hook value that names no operation is refused before anything runs', () => {
    const r = sb.ctnetEnv({ CTNET_FAIL_OP: 'everything' }, 'destroy', '-q');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/CTNET_FAIL_OP must be <operation>\[:<n>\]/);
    expect(sb.namespaces()).toHaveLength(3);
  });
});

/**
 * Not a failure, a refusal to run where told: namespace creation runs in the real root namespace, and its batches were named by the string
 * `root`: a container whose namespace was called that had its commands run there, in ctnet's own
 * namespace, outside the one playing the host.
 */
describe('a container whose namespace is named root', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.241.1/24', '192.168.241.254/24');
    const ct = container('root', '{name: venet0, network: public, addresses: [192.168.241.11]}');
    sb.write(
      'm.yaml',
      docs(routedNet('public', '192.168.241.0/24', ', uplink: enp0s5'), ct).replace('netns: "@root"', 'netns: root'),
    );
  });
  afterAll(() => sb.cleanup());

  // planned only: a namespace named root would break the tests' rule of a unique prefix
  it('is planned inside that namespace, and its batches are not the root namespace', () => {
    const script = sb.ctnet('plan', '-o', 'script', sb.manifestDir);
    expect(script.code).toBe(0);
    const lines = script.stdout
      .split('\n')
      .filter((l) => l.startsWith('ip ') && (l.includes('venet0') || l.includes(' lo ')));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines.filter((x) => !x.startsWith(`ip -n ${sb.host}`))) expect(l).toMatch(/^ip -n root /);
    const link: Op = { op: 'link-set', ns: 'root', name: 'lo', set: { up: true } };
    expect(targetOf(link)).not.toEqual(targetOf({ op: 'netns-add', name: 'root' }));
    expect(targetOf(link).ns).toBe('root');
  });
});
