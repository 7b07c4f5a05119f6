import { describe, expect, it } from 'vitest';
import { bridgeName, hostVethName, stableMac, tapMac, vmTapName } from '../../src/model/names.js';
import { contains, formatAddress, parseCidr } from '../../src/model/ip.js';

describe('derived names', () => {
  it('are readable when they fit and a dash-free hash otherwise, never over 15 characters', () => {
    expect(hostVethName('ct101', 'venet0')).toBe('ve-ct101-venet0');
    const long = hostVethName('a-very-long-container-name', 'eth0');
    expect(long).toMatch(/^ve[0-9a-z]{13}$/);
    expect(long).toBe(hostVethName('a-very-long-container-name', 'eth0'));
    expect(long).not.toBe(hostVethName('a-very-long-container-name', 'eth1'));
    expect(bridgeName('lan')).toBe('br-lan');
    expect(bridgeName('x'.repeat(63)).length).toBeLessThanOrEqual(15);
    expect(vmTapName('web1', 0)).toBe('tap-web1-0');
    expect(vmTapName('a-long-vm-name', 1)).toMatch(/^tap[0-9a-z]{12}$/);
    expect(vmTapName('a-long-vm-name', 1)).not.toBe(vmTapName('a-long-vm-name', 2));
  });

  it("a tap's MAC is the guest's with first byte 0xfe (never the guest's own)", () => {
    expect(tapMac('02:00:0A:1e:00:21')).toBe('fe:00:0a:1e:00:21');
  });

  it('MACs are stable, unicast and locally administered', () => {
    const mac = stableMac('ct201', 'eth0');
    expect(mac).toBe(stableMac('ct201', 'eth0'));
    expect(mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(mac).not.toBe(stableMac('ct202', 'eth0'));
  });
});

describe('addresses', () => {
  it('canonicalises as ip prints them', () => {
    expect(parseCidr('2001:DB8:0:0:0:0:0:1')?.address).toBe('2001:db8::1');
    expect(parseCidr('10.0.0.1')).toMatchObject({ family: 4, prefix: 32 });
    expect(parseCidr('fe80::1/64')).toMatchObject({ family: 6, prefix: 64 });
    expect(formatAddress(6, 0n)).toBe('::');
    expect(parseCidr('10.0.0.300')).toBeUndefined();
    expect(parseCidr('10.0.0.1/33')).toBeUndefined();
  });

  it('knows what a subnet holds', () => {
    expect(contains(parseCidr('10.30.0.0/24')!, parseCidr('10.30.0.11')!)).toBe(true);
    expect(contains(parseCidr('10.30.0.0/24')!, parseCidr('10.31.0.11')!)).toBe(false);
    expect(contains(parseCidr('2001:db8:1::/64')!, parseCidr('2001:db8:1::11')!)).toBe(true);
  });
});
