import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, hostSnapshot, ipj, ping, sh, sysctl } from './sandbox.js';

/** SPEC acceptance 1, 3, 4 (routed objects) and 7: the Virtuozzo host-routed example. */
const NETWORK = `apiVersion: ctnet/v1
kind: Network
metadata: {name: public}
spec: {type: routed, subnets: [192.168.200.0/24], uplink: enp0s5}
`;
const container = (n: number): string => `---
apiVersion: ctnet/v1
kind: Container
metadata: {name: ct${n}}
spec:
  netns: "@ct${n}"
  interfaces:
    - {name: venet0, network: public, addresses: [192.168.200.${n}]}
`;

describe('routed network (venet / host-routed)', () => {
  const sb = new Sandbox();
  let ext = '';
  let before: { links: unknown; routes: unknown; neigh: unknown; addrs: unknown };

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
    sb.write('net.yaml', NETWORK);
    sb.write('cts.yaml', [101, 102, 103].map(container).join(''));
    before = hostSnapshot(sb.host);
  });
  afterAll(() => sb.cleanup());

  it('applies and the LAN reaches every container, containers reach each other', () => {
    const r = sb.ctnet('apply', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const n of [101, 102, 103]) expect(ping(ext, `192.168.200.${n}`)).toBe(true);
    expect(ping(sb.ns('ct101'), '192.168.200.102')).toBe(true);
    expect(ping(sb.ns('ct103'), '192.168.200.254')).toBe(true);
  });

  it('publishes proxy ARP entries and /32 routes marked with protocol 241', () => {
    const proxies = ipj(sb.host, 'neigh', 'show', 'proxy')
      .map((n) => `${n.dst} ${n.dev} ${n.protocol}`)
      .sort();
    expect(proxies).toEqual(['192.168.200.101 enp0s5 241', '192.168.200.102 enp0s5 241', '192.168.200.103 enp0s5 241']);
    const routes = ipj(sb.host, 'route', 'show', 'proto', '241')
      .map((r) => `${r.dst} ${r.dev}`)
      .sort();
    expect(routes).toEqual([
      '192.168.200.101 ve-ct101-venet0',
      '192.168.200.102 ve-ct102-venet0',
      '192.168.200.103 ve-ct103-venet0',
    ]);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    const ct = ipj(sb.ns('ct101'), 'route', 'show', 'default')[0];
    expect([ct.gateway, ct.dev, ct.flags]).toEqual(['169.254.0.1', 'venet0', ['onlink']]);
    const alias = ipj(sb.host, 'link', 'show', 've-ct101-venet0')[0].ifalias;
    expect(alias).toMatch(/^ctnet:container\/ct101@[0-9a-f]{8}$/);
  });

  it('is idempotent: plan finds nothing and a second apply runs no command', () => {
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
    const r = sb.ctnet('apply', sb.manifestDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });

  const drifts: [string, string[], string][] = [
    ['route deleted', ['ip', '-n', '@host', 'route', 'del', '192.168.200.102/32'], 'route 192.168.200.102/32'],
    [
      'proxy entry deleted',
      ['ip', '-n', '@host', 'neigh', 'del', 'proxy', '192.168.200.103', 'dev', 'enp0s5'],
      'proxy 192.168.200.103 dev enp0s5',
    ],
    [
      'address deleted',
      ['ip', '-n', '@ct101', 'addr', 'del', '192.168.200.101/32', 'dev', 'venet0'],
      'address 192.168.200.101/32 dev venet0',
    ],
    ['link down', ['ip', '-n', '@host', 'link', 'set', 've-ct102-venet0', 'down'], 'link ve-ct102-venet0'],
    [
      'sysctl reset',
      ['ip', 'netns', 'exec', '@host', 'sh', '-c', 'echo 0 > /proc/sys/net/ipv4/ip_forward'],
      'sysctl net.ipv4.ip_forward',
    ],
    ['link deleted', ['ip', '-n', '@host', 'link', 'del', 've-ct103-venet0'], 'link ve-ct103-venet0'],
  ];
  for (const [name, cmd, object] of drifts) {
    it(`repairs drift: ${name}`, () => {
      sh(cmd[0], ...cmd.slice(1).map((a) => a.replace('@host', sb.host).replace('@', `${sb.prefix}-`)));
      const p = sb.ctnet('plan', '--detailed-exitcode', '-o', 'json', sb.manifestDir);
      expect(p.code).toBe(2);
      const objects = JSON.parse(p.stdout).changes.map((c: { object: string }) => c.object);
      expect(objects).toContain(object);
      expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
      expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
      for (const n of [101, 102, 103]) expect(ping(ext, `192.168.200.${n}`)).toBe(true);
    });
  }

  it('destroy returns the host namespace to how it was, sysctls included', () => {
    const r = sb.ctnet('destroy');
    expect(r.code).toBe(0);
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('0');
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('ct101'));
  });
});
