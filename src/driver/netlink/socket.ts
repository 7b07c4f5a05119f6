import {
  AF_NETLINK,
  NETLINK_CAP_ACK,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_ROUTE,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  SOCK_CLOEXEC,
  SOCK_RAW,
  SOL_NETLINK,
  SOL_SOCKET,
  SO_RCVTIMEO,
} from './constants.js';
import { encodeRequest, type Attr } from './encode.js';
import { readDump, splitMessages, type DumpResult, type NlMsg } from './dump-reader.js';
import { ackOf, type Ack } from './ack.js';
import { loadLibc, SysError } from './libc.js';
import { inNetns } from './netns.js';
import type { Scratch } from './scratch.js';

const EINTR = 4;
const EAGAIN = 11;
const RECV_TIMEOUT_S = 10;
/** Large enough for any datagram the kernel sends a dump in (it sizes them to at most 32 KiB); made on first use. */
let recvBuf: Buffer | undefined;

const padded = (b: Buffer): Buffer => (b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b);

/** One request of `sendAll`. */
export interface Request {
  readonly type: number;
  readonly flags: number;
  readonly header: Buffer;
  readonly attrs?: readonly Attr[];
}

/**
 * A blocking NETLINK_ROUTE socket, synchronous on purpose: a dump of one namespace takes well
 * under a millisecond, less than a trip through the event loop would.
 */
export class NetlinkSocket {
  private seq = Math.floor(Date.now() / 1000) & 0xffffff;

  private constructor(private fd: number) {}

  /** A socket in the namespace `netns` (null: the one this thread is in). */
  static open(netns: string | null): NetlinkSocket {
    return netns === null ? NetlinkSocket.here() : inNetns(netns, () => NetlinkSocket.here());
  }

  private static here(): NetlinkSocket {
    const c = loadLibc();
    const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) throw new SysError('opening a netlink socket', c.errno());
    const addr = Buffer.alloc(12); // sockaddr_nl: family, pad, port id 0 (the kernel picks), no groups
    addr.writeUInt16LE(AF_NETLINK, 0);
    const tv = Buffer.alloc(16); // struct timeval: a kernel that never answers is an error, not a hang
    tv.writeBigInt64LE(BigInt(RECV_TIMEOUT_S), 0);
    if (c.bind(fd, addr, addr.length) < 0 || c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length) < 0) {
      const e = c.errno();
      c.close(fd);
      throw new SysError('setting up a netlink socket', e);
    }
    // the kernel's own explanation of a refusal, as ip asks for it; the request is not echoed
    // back in errors (CAP_ACK): ACKs stay small. A kernel without them still answers plainly.
    const one = Buffer.alloc(4);
    one.writeUInt32LE(1);
    c.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4);
    c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, 4);
    return new NetlinkSocket(fd);
  }

  /**
   * Asks the kernel to apply the filters in dump requests (since Linux 4.20); false when it
   * cannot, and dumps then come whole (the decoders filter anyway).
   */
  strictDumps(): boolean {
    const one = Buffer.alloc(4);
    one.writeUInt32LE(1);
    return loadLibc().setsockopt(this.fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, one, 4) === 0;
  }

  /** Sends one request; returns its sequence number. */
  send(type: number, flags: number, header: Buffer, attrs: readonly Attr[] = []): number {
    return this.sendAll([{ type, flags, header, attrs }])[0];
  }

  /**
   * Sends requests in one datagram, which the kernel handles one after the other (each answered as if sent alone);
   * their sequence numbers, in order. The caller keeps their answers within the socket's receive buffer: one the
   * kernel cannot queue is dropped.
   */
  sendAll(reqs: readonly Request[]): number[] {
    const c = loadLibc();
    const seqs = reqs.map(() => ++this.seq);
    const parts = reqs.map((r, i) => encodeRequest(r.type, r.flags | NLM_F_REQUEST, seqs[i], r.header, r.attrs));
    // the kernel finds each next message at its length rounded up to 4 bytes
    const msg = parts.length === 1 ? parts[0] : Buffer.concat(parts.map(padded));
    if (c.send(this.fd, msg, msg.length, 0) !== msg.length) throw new SysError('sending a netlink request', c.errno());
    return seqs;
  }

  /** One datagram, copied out of the shared buffer. */
  recvChunk(): Buffer {
    recvBuf ??= Buffer.allocUnsafe(1 << 20);
    return Buffer.from(recvBuf.subarray(0, this.recvInto(recvBuf)));
  }

  /** One datagram into `dst`; its length. */
  private recvInto(dst: Buffer): number {
    const c = loadLibc();
    for (;;) {
      const n = c.recv(this.fd, dst, dst.length, 0);
      if (n >= 0) return n;
      const e = c.errno();
      if (e === EINTR) continue;
      throw new SysError(e === EAGAIN ? 'waiting for the kernel: no answer' : 'reading from a netlink socket', e);
    }
  }

  /**
   * A whole dump as received: the datagrams, for decoding (and for capturing test fixtures); with
   * `scratch`, received in place there, as views valid until its next reset.
   */
  dumpRaw(
    type: number,
    header: Buffer,
    attrs: readonly Attr[] = [],
    scratch?: Scratch,
  ): { chunks: Buffer[]; result: DumpResult } {
    const seq = this.send(type, NLM_F_DUMP, header, attrs);
    const chunks: Buffer[] = [];
    for (;;) {
      const chunk = scratch ? scratch.take(this.recvInto(scratch.room())) : this.recvChunk();
      chunks.push(chunk);
      // only the newest datagram can hold the end: decode everything once, at the end
      if (splitMessages(chunk).some((m) => m.seq === seq && (m.type === NLMSG_DONE || m.type === NLMSG_ERROR)))
        return { chunks, result: readDump(chunks, seq) };
    }
  }

  /**
   * One request with NLM_F_ACK, and its answer: the replies it produced (a RTM_GETLINK's link)
   * and the ACK. rtnetlink handles a request inside send() itself, so the answer is already
   * queued when this reads it: waiting costs one recv, no round trip to another thread.
   */
  transact(type: number, flags: number, header: Buffer, attrs: readonly Attr[] = []): { ack: Ack; replies: NlMsg[] } {
    const seq = this.send(type, flags | NLM_F_ACK, header, attrs);
    const replies: NlMsg[] = [];
    for (;;) {
      for (const m of splitMessages(this.recvChunk())) {
        if (m.seq !== seq) continue;
        if (m.type === NLMSG_ERROR) return { ack: ackOf(m), replies };
        replies.push(m);
      }
    }
  }

  close(): void {
    if (this.fd >= 0) loadLibc().close(this.fd);
    this.fd = -1;
  }
}
