import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonStream } from '../../../src/driver/json-stream.js';
import { parseAddresses, parseLinks, parseProxyNeighbors, parseRoutes } from '../../../src/driver/parse-ip.js';
import { objectsOf, type DumpName } from '../../../src/driver/netlink/observe-ns.js';
import { readDump, splitMessages, NetlinkError } from '../../../src/driver/netlink/dump-reader.js';
import { encodeRequest, familyHeader, u32Attr } from '../../../src/driver/netlink/encode.js';
import { parseAttrs, str } from '../../../src/driver/netlink/attrs.js';
import { llAddrText } from '../../../src/driver/netlink/format.js';
import {
  NLMSG_DONE,
  NLMSG_ERROR,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  RTM_GETLINK,
  RTM_NEWLINK,
} from '../../../src/driver/netlink/constants.js';

/**
 * Real rtnetlink dumps, captured by test/unit/fixtures/ip/capture.sh in the same run as the
 * `ip -N -d -json` fixtures (same scene, same moment): decoding them must give exactly what
 * the iproute2 parser gives for ip's output, objects, fields and order.
 */
const FIX = join(import.meta.dirname, '../fixtures/ip');
const netlink = (ns: string): Record<DumpName, Buffer[]> => {
  const doc = JSON.parse(readFileSync(join(FIX, `${ns}-netlink.json`), 'utf8')) as Record<DumpName, string[]>;
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, v.map((b) => Buffer.from(b, 'base64'))])) as Record<
    DumpName,
    Buffer[]
  >;
};
const viaIp = (ns: string) => {
  const [links, addrs, routes, neigh] = parseJsonStream(readFileSync(join(FIX, `${ns}-batch.json`), 'utf8'));
  return {
    links: parseLinks(links),
    addresses: parseAddresses(addrs),
    routes: parseRoutes(routes),
    neighbors: parseProxyNeighbors(neigh),
    sysctls: {},
  };
};

describe('netlink decoding against ip -json of the same scene', () => {
  for (const ns of ['host', 'ct']) {
    it(`${ns}: links, addresses, routes and proxy neighbours are the iproute2 parser's`, () => {
      const got = objectsOf(netlink(ns));
      const want = viaIp(ns);
      expect(got).toStrictEqual(want);
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    });
  }

  it('the scene has what the planner reads: a tap, veth peers in another namespace, marks, proto 241', () => {
    const host = objectsOf(netlink('host'));
    expect(host.links.find((l) => l.name === 'tap0')).toMatchObject({
      kind: 'tap',
      master: 'br0',
      alias: 'ctnet:vm/vm1',
    });
    expect(host.links.find((l) => l.name === 'vethct0')).toMatchObject({ kind: 'veth', group: 7, peerNetnsId: 0 });
    expect(host.routes.find((r) => r.dst === '10.50.0.0/16')).toMatchObject({
      onlink: true,
      via: '10.99.0.1',
      protocol: 241,
    });
    expect(host.neighbors.map((n) => `${n.dst} ${n.protocol}`)).toEqual(
      expect.arrayContaining(['192.168.200.101 241', '2001:db8:1::101 241']),
    );
    const ct = objectsOf(netlink('ct'));
    expect(ct.routes.find((r) => r.family === 6 && r.dst === 'default')).toMatchObject({
      via: 'fe80::1',
      dev: 'venet0',
      protocol: 241,
    });
  });
});

/** A message as the kernel sends it, for the cases a live kernel rarely shows. */
const msg = (type: number, flags: number, seq: number, body: Buffer = Buffer.alloc(4)): Buffer =>
  encodeRequest(type, flags, seq, body);
const linkBody = (index: number, name: string): Buffer => {
  const h = familyHeader(16, 0);
  h.writeInt32LE(index, 4);
  const req = encodeRequest(0, 0, 0, h, [[3, Buffer.from(`${name}\0`)]]);
  return req.subarray(16);
};

describe('dump reading', () => {
  it("a dump spread over several datagrams ends at NLMSG_DONE, and skips other requests' answers", () => {
    const a = Buffer.concat([
      msg(RTM_NEWLINK, NLM_F_MULTI, 7, linkBody(1, 'lo')),
      msg(RTM_NEWLINK, NLM_F_MULTI, 6, linkBody(9, 'stale')),
    ]);
    const b = Buffer.concat([msg(RTM_NEWLINK, NLM_F_MULTI, 7, linkBody(2, 'eth0')), msg(NLMSG_DONE, NLM_F_MULTI, 7)]);
    expect(readDump([a], 7)).toMatchObject({ done: false, interrupted: false });
    const r = readDump([a, b], 7);
    expect(r).toMatchObject({ done: true, interrupted: false });
    expect(r.messages.map((m) => str(parseAttrs(m.body, 16).get(3)))).toEqual(['lo', 'eth0']);
  });

  it('NLM_F_DUMP_INTR on any message (the kernel sets it on DONE too) marks the dump for a retry', () => {
    const r = readDump(
      [
        Buffer.concat([
          msg(RTM_NEWLINK, NLM_F_MULTI, 1, linkBody(1, 'lo')),
          msg(NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, 1),
        ]),
      ],
      1,
    );
    expect(r).toMatchObject({ done: true, interrupted: true });
  });

  it('NLMSG_ERROR ends a dump with the errno; an ACK (0) ends it cleanly', () => {
    const err = Buffer.alloc(20);
    err.writeInt32LE(-22, 0);
    expect(() => readDump([msg(NLMSG_ERROR, 0, 3, err)], 3)).toThrow(NetlinkError);
    expect(readDump([msg(NLMSG_ERROR, 0, 3, Buffer.alloc(20))], 3)).toMatchObject({ done: true });
  });

  it('a message longer than its datagram is malformed, never silently short', () => {
    const m = msg(RTM_NEWLINK, 0, 1, linkBody(1, 'lo'));
    expect(() => splitMessages(m.subarray(0, m.length - 4))).toThrow(/malformed/);
  });

  it('encodes a request as the kernel reads it: lengths, flags, padded attributes', () => {
    const r = encodeRequest(RTM_GETLINK, 0x301, 42, familyHeader(16, 0), [u32Attr(29, 9), [3, Buffer.from('ab\0')]]);
    expect(r.length).toBe(16 + 16 + 8 + 8);
    expect([r.readUInt32LE(0), r.readUInt16LE(4), r.readUInt16LE(6), r.readUInt32LE(8)]).toEqual([
      48,
      RTM_GETLINK,
      0x301,
      42,
    ]);
    const attrs = parseAttrs(r, 32);
    expect(attrs.get(29)!.readUInt32LE(0)).toBe(9);
    expect(str(attrs.get(3))).toBe('ab');
  });

  it('prints link-layer addresses as ip does, tunnels as IP addresses', () => {
    expect(llAddrText(1, Buffer.from([2, 0, 0, 0, 1, 0xab]))).toBe('02:00:00:00:01:ab');
    expect(llAddrText(776, Buffer.alloc(4))).toBe('0.0.0.0');
    expect(llAddrText(769, Buffer.alloc(16))).toBe('::');
  });
});
