import { NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_DUMP_INTR } from './constants.js';

/** One netlink message: its header fields and its body (the family header and attributes). */
export interface NlMsg {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly body: Buffer;
}

/** What a dump returned: its data messages, whether it ended, whether the kernel says it is inconsistent. */
export interface DumpResult {
  readonly messages: NlMsg[];
  readonly done: boolean;
  /** NLM_F_DUMP_INTR: the objects changed during the dump; its data must be thrown away and the dump repeated. */
  readonly interrupted: boolean;
}

/** Splits one datagram (several messages back to back) into messages. */
export function splitMessages(chunk: Buffer): NlMsg[] {
  const out: NlMsg[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= chunk.length) {
    const len = chunk.readUInt32LE(off);
    if (len < NLMSG_HDRLEN || off + len > chunk.length) throw new Error(`netlink: malformed message at offset ${off}`);
    out.push({
      type: chunk.readUInt16LE(off + 4),
      flags: chunk.readUInt16LE(off + 6),
      seq: chunk.readUInt32LE(off + 8),
      body: chunk.subarray(off + NLMSG_HDRLEN, off + len),
    });
    off += (len + 3) & ~3;
  }
  return out;
}

/** The negative errno an NLMSG_ERROR carries (0 is an ACK). */
export const errorCode = (m: NlMsg): number => (m.body.length >= 4 ? m.body.readInt32LE(0) : -22);

export class NetlinkError extends Error {
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a dump's datagrams (as received, in order) for request `seq`. Messages of other
 * sequence numbers (late answers to an earlier request) are skipped. An NLMSG_ERROR ends it with
 * an error; NLMSG_DONE ends it.
 */
export function readDump(chunks: readonly Buffer[], seq: number): DumpResult {
  const messages: NlMsg[] = [];
  let interrupted = false;
  for (const chunk of chunks) {
    for (const m of splitMessages(chunk)) {
      if (m.seq !== seq) continue;
      if (m.flags & NLM_F_DUMP_INTR) interrupted = true;
      if (m.type === NLMSG_DONE) return { messages, done: true, interrupted };
      if (m.type === NLMSG_ERROR) {
        const code = errorCode(m);
        if (code === 0) return { messages, done: true, interrupted };
        throw new NetlinkError(-code, `netlink dump refused: errno ${-code}`);
      }
      messages.push(m);
    }
  }
  return { messages, done: false, interrupted };
}
