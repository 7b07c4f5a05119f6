/**
 * rtattr decoding. Attributes are read into a map by type (the last one wins, as the kernel
 * never repeats the ones read here); nested attributes are decoded the same way from a payload.
 */
export type Attrs = ReadonlyMap<number, Buffer>;

const NLA_TYPE_MASK = 0x3fff; // strips NLA_F_NESTED and NLA_F_NET_BYTEORDER

/**
 * With `only`, just those types are kept: a link carries some fifty attributes (statistics and
 * more) of which the decoder reads nine, and a view of each one, for every link of every
 * namespace, was a good part of an observation's garbage.
 */
export function parseAttrs(buf: Buffer, start = 0, end = buf.length, only?: ReadonlySet<number>): Attrs {
  const out = new Map<number, Buffer>();
  let off = start;
  while (off + 4 <= end) {
    const len = buf.readUInt16LE(off);
    if (len < 4 || off + len > end) break; // a truncated attribute ends the list, as in the kernel's nla_ok
    const type = buf.readUInt16LE(off + 2) & NLA_TYPE_MASK;
    if (!only || only.has(type)) out.set(type, buf.subarray(off + 4, off + len));
    off += (len + 3) & ~3;
  }
  return out;
}

export const u8 = (b: Buffer | undefined): number | undefined => (b && b.length >= 1 ? b.readUInt8(0) : undefined);
export const u32 = (b: Buffer | undefined): number | undefined => (b && b.length >= 4 ? b.readUInt32LE(0) : undefined);
export const s32 = (b: Buffer | undefined): number | undefined => (b && b.length >= 4 ? b.readInt32LE(0) : undefined);

/** A NUL-terminated string attribute (IFLA_IFNAME, IFLA_IFALIAS, IFLA_INFO_KIND). */
export function str(b: Buffer | undefined): string | undefined {
  if (!b) return undefined;
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
}
