import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, ping, sh, sysctl } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * Writing a global forwarding switch rewrites every interface's `forwarding`: restoring the
 * switch on destroy resets them all, so the values recorded before ctnet's first change must be
 * written back after it, whatever they are right before the destroy.
 */
describe('restoring a global forwarding switch restores the per-interface values it overwrote', () => {
  const sb = new Sandbox();
  let ext = '';
  const write = (key: string, value: string) =>
    sh('ip', 'netns', 'exec', sb.host, 'sh', '-c', `echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`);

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.210.1/24', '192.168.210.254/24');
    sh('ip', '-n', sb.host, 'addr', 'add', '2001:db8:210::1/64', 'dev', 'enp0s5', 'nodad');
    sh('ip', '-n', ext, 'addr', 'add', '2001:db8:210::254/64', 'dev', 'lan0', 'nodad');
    // the switches first: writing them rewrites the per-interface values set after
    write('net.ipv4.ip_forward', '0');
    write('net.ipv6.conf.all.forwarding', '0');
    write('net.ipv4.conf.enp0s5.forwarding', '1');
    write('net.ipv6.conf.enp0s5.forwarding', '1');
    const net = routedNet('public', '192.168.210.0/24, "2001:db8:210::/64"', ', uplink: enp0s5');
    sb.write(
      'm.yaml',
      docs(net, container('ct1', '{name: venet0, network: public, addresses: [192.168.210.11, "2001:db8:210::11"]}')),
    );
  });
  afterAll(() => sb.cleanup());

  it('applies a routed container: the switches are on and the LAN reaches it', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    expect(sysctl(sb.host, 'net.ipv6.conf.all.forwarding')).toBe('1');
    expect(ping(ext, '192.168.210.11')).toBe(true);
  });

  it('destroy puts the switches back to 0 and the uplink back to forwarding=1 (IPv4 and IPv6)', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('0');
    expect(sysctl(sb.host, 'net.ipv6.conf.all.forwarding')).toBe('0');
    expect(sysctl(sb.host, 'net.ipv4.conf.enp0s5.forwarding')).toBe('1');
    expect(sysctl(sb.host, 'net.ipv6.conf.enp0s5.forwarding')).toBe('1');
    // and `lo`, which was 0 like the switch, stays 0
    expect(sysctl(sb.host, 'net.ipv4.conf.lo.forwarding')).toBe('0');
  });
});
