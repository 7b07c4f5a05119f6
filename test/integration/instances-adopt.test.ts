import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Sandbox, expectExit, hostSnapshot, ping } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

/**
 * `--adopt` takes over what nobody owns, never another instance's objects: that instance would
 * lose them under its feet, and two watchers would take them back and forth.
 */
describe('--adopt never takes over another instance', () => {
  const sb = new Sandbox();
  const stateB = join(sb.dir, 'state-b');
  let ext = '';
  const b = (...args: string[]) => sb.ctnet('--state-dir', stateB, ...args);

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.241.1/24', '192.168.241.254/24');
    sb.write(
      'm.yaml',
      docs(
        doc('Network', 'lan', '{type: bridge, bridge: br-ad, subnets: [10.241.0.0/24], gateway: 10.241.0.1}'),
        routedNet('pub', '192.168.241.0/24', ', uplink: enp0s5'),
        container(
          'cta',
          '{name: eth0, network: lan, addresses: [10.241.0.11/24]}, {name: venet0, network: pub, addresses: [192.168.241.11]}',
        ),
      ),
    );
  });
  afterAll(() => {
    sb.ctnet('destroy', '-q');
    b('destroy', '-q');
    sb.cleanup();
  });

  it("B's apply --adopt of A's manifests is refused, naming A's objects, and A keeps them all", () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(ping(ext, '192.168.241.11')).toBe(true);
    const before = hostSnapshot(sb.host);
    const r = expectExit(b('apply', '--adopt', sb.manifestDir), 3);
    const never = "another instance's objects are never taken over";
    expect(r.stderr).toMatch(new RegExp(`link "br-ad" exists and is owned by another ctnet instance .*: ${never}`));
    expect(r.stderr).toMatch(
      new RegExp(`network namespace "${sb.ns('cta')}" exists and is owned by another ctnet instance .*: ${never}`),
    );
    expect(r.stderr).not.toMatch(/use --adopt/);
    expect(hostSnapshot(sb.host)).toEqual(before);
    // A still owns everything: nothing to do, and its routed container still answers
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    expect(ping(ext, '192.168.241.11')).toBe(true);
  });
});
