import { describe, expect, it } from 'vitest';
import { parseVzConf } from '../../../src/import/vz-conf.js';
import { parseNetif } from '../../../src/import/vz-netif.js';
import { deriveSubnets, parseIpAddress } from '../../../src/import/vz-addresses.js';

const collect = () => {
  const warnings: string[] = [];
  return { warnings, warn: (line: number, m: string) => void warnings.push(`${line}: ${m}`) };
};

describe('vzctl config lines', () => {
  it('reads double, single and no quotes, comments, export, and the last setting of a key', () => {
    const { warnings, warn } = collect();
    const c = parseVzConf(
      [
        '# a comment',
        'A="x y"  # trailing',
        'B=\'"q"\'',
        'C=plain',
        'export D="d"',
        'E="esc \\" $VEID"',
        'A="again"',
        'F=""',
      ].join('\n'),
      'x.conf',
      warn,
    );
    expect(Object.fromEntries([...c.vars].map(([k, v]) => [k, v.value]))).toEqual({
      A: 'again',
      B: '"q"',
      C: 'plain',
      D: 'd',
      E: 'esc " $VEID',
      F: '',
    });
    expect(c.vars.get('A')?.line).toBe(7);
    expect(warnings).toEqual([]);
  });

  it('takes a double-quoted value over several lines (vzfirewall), and warns of one never closed', () => {
    const { warnings, warn } = collect();
    const c = parseVzConf('FIREWALL="\n  [25]\n  *\n"\nNAME="a\nX=1', 'x.conf', warn);
    expect(c.vars.get('FIREWALL')).toEqual({ value: '\n  [25]\n  *\n', line: 1 });
    expect(c.vars.has('X')).toBe(false);
    expect(warnings).toEqual(['5: NAME: the double quote opened here is never closed: skipped']);
  });
});

describe('NETIF', () => {
  it('splits entries on ";" and fields on ","; a bridge is optional', () => {
    const { warnings, warn } = collect();
    const v =
      'ifname=eth0,bridge=vmbr0,mac=AA:00:00:00:00:01;ifname=eth1,host_ifname=veth1.1,host_mac=aa:00:00:00:00:02';
    expect(parseNetif({ value: v, line: 3 }, warn)).toEqual([
      { ifname: 'eth0', mac: 'aa:00:00:00:00:01', bridge: 'vmbr0', hostIfname: undefined, hostMac: undefined },
      { ifname: 'eth1', mac: undefined, bridge: undefined, hostIfname: 'veth1.1', hostMac: 'aa:00:00:00:00:02' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('skips an entry twice named or with a name the kernel refuses', () => {
    const { warnings, warn } = collect();
    const out = parseNetif({ value: 'ifname=eth0;ifname=eth0;ifname=a-name-far-too-long', line: 1 }, warn);
    expect(out.map((n) => n.ifname)).toEqual(['eth0']);
    expect(warnings).toEqual([
      '1: NETIF: a second entry for eth0: skipped',
      '1: NETIF entry "ifname=a-name-far-too-long": "a-name-far-too-long" is not an interface name: entry skipped',
    ]);
  });
});

describe('IP_ADDRESS', () => {
  it('takes IPv4 and IPv6, bare or with a prefix or a netmask', () => {
    const { warnings, warn } = collect();
    const v = '10.0.0.1 10.0.1.1/16 10.0.2.1/255.255.255.0 2001:DB8::1 fe80::1%eth0 10.0.0.1 1.2.3.4/255.0.255.0';
    expect(parseIpAddress({ value: v, line: 2 }, warn)).toEqual([
      { family: 4, address: '10.0.0.1' },
      { family: 4, address: '10.0.1.1', prefix: 16 },
      { family: 4, address: '10.0.2.1', prefix: 24 },
      { family: 6, address: '2001:db8::1' },
    ]);
    expect(warnings).toEqual([
      '2: IP_ADDRESS: "fe80::1%eth0" is not an IP address: skipped',
      '2: IP_ADDRESS: "1.2.3.4/255.0.255.0": "/255.0.255.0" is not a prefix or netmask: skipped',
    ]);
  });

  it('derives subnets: the prefix written, else the /24 or /64 around; none inside a wider one', () => {
    const d = deriveSubnets([
      { family: 4, address: '10.0.1.1', prefix: 16, file: 'a.conf' },
      { family: 4, address: '10.0.0.1', file: 'a.conf' },
      { family: 4, address: '192.0.2.9', file: 'b.conf' },
      { family: 6, address: '2001:db8::1', file: 'b.conf' },
    ]);
    expect(d).toEqual({
      subnets: ['10.0.0.0/16', '192.0.2.0/24', '2001:db8::/64'],
      given: ['10.0.0.0/16'],
      assumed: [
        { subnet: '192.0.2.0/24', files: ['b.conf'] },
        { subnet: '2001:db8::/64', files: ['b.conf'] },
      ],
    });
  });
});
