import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';
import { docs, routedNet } from '../fixtures.js';

/**
 * Issue 19 §2.5: a routed container's extra routes. Its only neighbour is the routed gateway
 * (169.254.0.1), which no subnet of its interface holds: a route through it goes on-link on
 * venet0, written with `dev` and `onlink`, or found by ctnet from the gateway alone.
 */
const CT = `apiVersion: ctnet/v1
kind: Container
metadata: {name: ct1}
spec:
  netns: "@ct1"
  interfaces: [{name: venet0, network: public, addresses: [192.168.200.11]}]
  routes:
    - {to: 10.50.0.0/16, via: 169.254.0.1, dev: venet0, onlink: true}
    - {to: 10.51.0.0/16, via: 169.254.0.1}
    - {to: 10.60.0.0/16, dev: venet0}
`;

describe('container routes: dev, onlink and the routed gateway', () => {
  const sb = new Sandbox();
  let ext = '';
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
    // a network beyond the LAN: the host reaches it through the external namespace
    sh('ip', '-n', ext, 'addr', 'add', '10.50.0.1/16', 'dev', 'lan0');
    sh('ip', '-n', sb.host, 'route', 'add', '10.50.0.0/16', 'via', '192.168.200.254', 'dev', 'enp0s5');
    sb.write('a.yaml', docs(routedNet('public', '192.168.200.0/24', ', uplink: enp0s5'), CT));
  });
  afterAll(() => sb.cleanup());

  it('applies the routes on-link through venet0, and a ping goes through the host to the network beyond', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const text = (r: any): string => `${r.dst} ${r.gateway ?? '-'} ${r.dev} ${(r.flags ?? []).join(',')}`;
    const routes = ipj(sb.ns('ct1'), 'route', 'show').map(text).sort();
    expect(routes).toEqual([
      '10.50.0.0/16 169.254.0.1 venet0 onlink',
      '10.51.0.0/16 169.254.0.1 venet0 onlink',
      '10.60.0.0/16 - venet0 ',
      'default 169.254.0.1 venet0 onlink',
    ]);
    expect(ping(sb.ns('ct1'), '10.50.0.1')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });
});
