import { describe, expect, it } from 'vitest';
import { readSysctlFamily, readSysctls, writeSysctls } from '../../../src/driver/sysctl.js';
import { readSysctlTree } from '../../../src/driver/sysctl-tree.js';
import {
  readSysctlFamilyIn,
  readSysctlsIn,
  readSysctlTreeIn,
  writeSysctlsIn,
} from '../../../src/driver/netlink/sysctl-read.js';

/** The in-process readers of the netlink driver, in the test's own namespace: the same as sysctl.ts's. */
describe('netlink driver sysctls in the own namespace', () => {
  const keys = [
    'net.ipv4.ip_forward',
    'net/ipv4/ip_forward',
    'net.ipv4.conf.lo.forwarding',
    'net.ipv4.no_such_key',
    'net.ipv6.conf.all.forwarding',
  ];

  it('reads given keys as sysctl.ts does', async () => {
    expect(readSysctlsIn(null, keys)).toEqual(await readSysctls(null, keys));
    expect(readSysctlsIn(null, [])).toEqual({});
  });

  it('reads a family as sysctl.ts does', async () => {
    expect(readSysctlFamilyIn(null, 4, 'forwarding')).toEqual(await readSysctlFamily(null, 4, 'forwarding'));
    expect(readSysctlFamilyIn(null, 6, 'forwarding')).toEqual(await readSysctlFamily(null, 6, 'forwarding'));
  });

  it('reads a tree as sysctl-tree.ts does', async () => {
    expect(readSysctlTreeIn(null, ['net/ipv4/conf'])).toEqual(await readSysctlTree(null, ['net/ipv4/conf']));
    expect(readSysctlTreeIn(null, ['net/ipv4/conf'], ['forwarding'])).toEqual(
      await readSysctlTree(null, ['net/ipv4/conf'], ['forwarding']),
    );
  });

  it('refuses what sysctl.ts refuses', () => {
    expect(() => readSysctlsIn(null, ['net/../x'])).toThrow(/invalid sysctl key/);
    expect(() => readSysctlsIn(null, ['/etc/passwd'])).toThrow(/invalid sysctl key/);
    expect(() => readSysctlFamilyIn(null, 5 as 4, 'forwarding')).toThrow(/invalid address family/);
    expect(() => readSysctlFamilyIn(null, 4, '../x')).toThrow(/invalid sysctl leaf/);
    expect(() => readSysctlTreeIn(null, ['net/../etc'])).toThrow(/invalid sysctl directory/);
  });

  it('reports writes that cannot be made with key and message, as sysctl.ts does, and writes nothing', async () => {
    const items = [
      { key: 'net.ipv4.no_such_key_ctnet', value: '1' },
      { key: 'net/../x', value: '1' },
      { key: 'net.ipv4.ip_forward', value: '1;reboot' },
    ];
    const got = writeSysctlsIn(null, items);
    expect(got).toEqual(await writeSysctls(null, items));
    expect(got.map((f) => f.key)).toEqual(items.map((i) => i.key));
    expect(got[0].message).toBe('net.ipv4.no_such_key_ctnet=1: No such file or directory');
  });

  it('reports every write into a namespace that is not there', () => {
    const got = writeSysctlsIn('ctnet-no-such-netns-x', [
      { key: 'net.ipv4.ip_forward', value: '1' },
      { key: 'net.ipv6.conf.all.forwarding', value: '1' },
    ]);
    expect(got).toEqual([
      {
        key: 'net.ipv4.ip_forward',
        message:
          'net.ipv4.ip_forward=1: Cannot open network namespace "ctnet-no-such-netns-x": No such file or directory',
      },
      {
        key: 'net.ipv6.conf.all.forwarding',
        message:
          'net.ipv6.conf.all.forwarding=1: Cannot open network namespace "ctnet-no-such-netns-x": No such file or directory',
      },
    ]);
  });
});
