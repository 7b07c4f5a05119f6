import { NLMSG_HDRLEN } from './constants.js';

/** Netlink aligns every message and attribute to 4 bytes. */
export const align4 = (n: number): number => (n + 3) & ~3;

/** An attribute to send: type and payload (already in host byte order). */
export type Attr = readonly [type: number, payload: Buffer];

export const u32Attr = (type: number, value: number): Attr => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return [type, b];
};

export const u8Attr = (type: number, value: number): Attr => [type, Buffer.from([value & 0xff])];

/**
 * A string attribute. `ip` sends names NUL-terminated (IFLA_IFNAME) but some strings without the
 * NUL (IFLA_IFALIAS, IFLA_INFO_KIND): the same bytes here, so requests compare equal to ip's.
 */
export const strAttr = (type: number, s: string, nul = true): Attr => [type, Buffer.from(nul ? `${s}\0` : s, 'utf8')];

/** A nested attribute (IFLA_LINKINFO…): its payload is the encoded inner attributes, after `head` if any. */
export const nestAttr = (type: number, attrs: readonly Attr[], head?: Buffer): Attr => [
  type,
  head ? Buffer.concat([head, encodeAttrs(attrs)]) : encodeAttrs(attrs),
];

/** rtattrs back to back, each padded to 4 bytes. */
export function encodeAttrs(attrs: readonly Attr[]): Buffer {
  const out = Buffer.alloc(attrs.reduce((n, [, p]) => n + align4(4 + p.length), 0));
  let off = 0;
  for (const [t, p] of attrs) {
    out.writeUInt16LE(4 + p.length, off);
    out.writeUInt16LE(t, off + 2);
    p.copy(out, off + 4);
    off += align4(4 + p.length);
  }
  return out;
}

/** nlmsghdr + the family header (ifinfomsg, rtmsg…) + rtattrs, padded as the kernel expects. */
export function encodeRequest(
  type: number,
  flags: number,
  seq: number,
  header: Buffer,
  attrs: readonly Attr[] = [],
): Buffer {
  const body = encodeAttrs(attrs);
  const len = NLMSG_HDRLEN + align4(header.length) + body.length;
  const out = Buffer.alloc(len);
  out.writeUInt32LE(len, 0);
  out.writeUInt16LE(type, 4);
  out.writeUInt16LE(flags, 6);
  out.writeUInt32LE(seq, 8);
  out.writeUInt32LE(0, 12); // port id: the kernel fills in ours
  header.copy(out, NLMSG_HDRLEN);
  body.copy(out, NLMSG_HDRLEN + align4(header.length));
  return out;
}

/** A family header of `len` zero bytes with the address family in its first byte (all of rtnetlink's do). */
export function familyHeader(len: number, family: number): Buffer {
  const b = Buffer.alloc(len);
  b.writeUInt8(family, 0);
  return b;
}
