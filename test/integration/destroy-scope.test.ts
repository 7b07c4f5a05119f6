import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, ipj, ping, sh, sysctl } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

/** `destroy PATH` removes what those manifests describe and nothing that other manifests own. */
describe('destroy PATH', () => {
  const sb = new Sandbox();
  let ext = '';
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.220.1/24', '192.168.220.254/24');
    sb.write(
      'networks.yaml',
      docs(
        routedNet('public', '192.168.220.0/24', ', uplink: enp0s5'),
        doc('Network', 'lan', '{type: bridge, subnets: [10.70.0.0/24], gateway: 10.70.0.1}'),
      ),
    );
    sb.write(
      'ct1.yaml',
      container(
        'ct1',
        '{name: venet0, network: public, addresses: [192.168.220.11]}, {name: eth1, network: lan, addresses: [10.70.0.11/24]}',
      ),
    );
    sb.write('ct2.yaml', container('ct2', '{name: venet0, network: public, addresses: [192.168.220.12]}'));
  });
  afterAll(() => sb.cleanup());

  it('removes one container named by its file; the rest keeps working', () => {
    expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
    const r = sb.ctnet('destroy', '-q', `${sb.manifestDir}/ct2.yaml`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('ct2'));
    expect(ipj(sb.host, 'neigh', 'show', 'proxy').map((n) => n.dst)).toEqual(['192.168.220.11']);
    expect(ping(ext, '192.168.220.11')).toBe(true);
    expect(ping(sb.ns('ct1'), '10.70.0.1')).toBe(true);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    sb.remove('ct2.yaml');
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
  });

  it('destroy without paths takes the rest and restores sysctls', () => {
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
    expect(
      ipj(sb.host, 'link', 'show')
        .map((l) => l.ifname)
        .filter((n) => /^(br|ve)-/.test(n)),
    ).toEqual([]);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('0');
  });
});
