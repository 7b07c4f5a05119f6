import { describe, expect, it } from 'vitest';
import { idNetns, keyId, type ObjectKey } from '../../../src/model/keys.js';

describe('idNetns', () => {
  it('reads back the named namespace keyId wrote, and null for the host and host-wide kinds', () => {
    const keys: [ObjectKey, string | null][] = [
      [{ kind: 'link', ns: 'ct-1', name: 'eth0' }, 'ct-1'],
      [{ kind: 'address', ns: 'ct1', dev: 'eth0', cidr: '10.0.0.2/24' }, 'ct1'],
      [{ kind: 'sysctl', ns: 'ct1', key: 'net.ipv4.ip_forward' }, 'ct1'],
      [{ kind: 'route', ns: 'ct1', family: 6, dst: 'default' }, 'ct1'],
      [{ kind: 'link', ns: null, name: 'br-lan' }, null],
      [{ kind: 'netns', ns: null, name: 'ct1' }, null],
      [{ kind: 'allocation', ns: null, name: 'container/ct1/eth0' }, null],
    ];
    for (const [k, ns] of keys) expect(idNetns(keyId(k)), keyId(k)).toBe(ns);
  });
});
