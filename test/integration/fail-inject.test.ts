import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, ping } from './sandbox.js';
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
