import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/driver/netlink/links.js';
import { parseAttrs } from '../../../src/driver/netlink/attrs.js';
import { encodeAttrs, nestAttr } from '../../../src/driver/netlink/encode.js';
import { IFLA_INFO_KIND, IFLA_LINKINFO } from '../../../src/driver/netlink/constants.js';

const withKind = (kind: string) =>
  parseAttrs(encodeAttrs([nestAttr(IFLA_LINKINFO, [[IFLA_INFO_KIND, Buffer.from(`${kind}\0`)]])]));

describe('link kinds over netlink', () => {
  // the iproute2 driver reads the same kinds from `ip -d -j link`: a loopback network's dummy
  // read as "other" here would be replaced on every run (this kernel has no dummy to show it)
  it('names a dummy, a bridge, a veth and a vxlan as iproute2 does', () => {
    for (const k of ['dummy', 'bridge', 'veth', 'vxlan']) expect(kindOf(withKind(k))).toBe(k);
    expect(kindOf(withKind('macvlan'))).toBe('other');
    expect(kindOf(parseAttrs(encodeAttrs([])))).toBe('device');
  });
});
