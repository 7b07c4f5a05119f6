import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, ipj, ping } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

const NETS = docs(
  routedNet('pub', '10.9.0.0/24, "2001:db8:9::/64"', ', uplink: up0'),
  doc('Network', 'lan', '{type: bridge, subnets: [10.8.0.0/24], gateway: 10.8.0.1}'),
);
const ROUTED = '{name: eth0, network: pub, addresses: [10.9.0.5, "2001:db8:9::5"]}';
const BRIDGED = '{name: eth0, network: lan, addresses: [10.8.0.6/24]}';

/**
 * An interface that changes network type is changed in place (its host end joins or leaves the
 * bridge), and the objects of the old type go, in one apply. Removing the last IPv4 address of
 * the host end makes the kernel flush the routes through it: their deletions are already done,
 * not failures.
 */
describe('an interface moves between a routed and a bridge network', () => {
  const sb = new Sandbox();
  let ext = '';
  beforeAll(() => {
    ext = sb.external('lan', 'up0', '10.9.0.1/24', '10.9.0.254/24');
  });
  afterAll(() => sb.cleanup());

  it('routed → bridged → routed, each in one apply, with traffic after each', () => {
    sb.write('m.yaml', docs(NETS, container('c1', `${ROUTED}, {name: eth1, network: lan, addresses: [10.8.0.5/24]}`)));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(ping(ext, '10.9.0.5')).toBe(true);

    sb.write('m.yaml', docs(NETS, container('c1', BRIDGED)));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    expect(ipj(sb.host, 'link', 'show', 've-c1-eth0')[0].master).toBe('br-lan');
    expect(ipj(sb.host, 'route', 'show', 'proto', '241')).toEqual([]);
    expect(ipj(sb.host, 'neigh', 'show', 'proxy')).toEqual([]);
    expect(ping(sb.ns('c1'), '10.8.0.1')).toBe(true);

    sb.write('m.yaml', docs(NETS, container('c1', ROUTED)));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    expect(ipj(sb.host, 'link', 'show', 've-c1-eth0')[0].master).toBeUndefined();
    expect(ping(ext, '10.9.0.5')).toBe(true);
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });
});
