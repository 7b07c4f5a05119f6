/** Room left for one datagram: as much as `recvChunk` offers (the kernel sends dumps in datagrams of at most 32 KiB). */
const ROOM = 1 << 20;
const SIZE = 4 << 20;

/**
 * Memory an observation receives one namespace's dumps into, reused for the next namespace.
 * Copying every datagram into a Buffer of its own (recvChunk) left a garbage Buffer per datagram
 * outside V8's heap; V8 collects those only once they add up to tens of megabytes, and the C
 * allocator then keeps the freed memory: a watcher of 1000 containers kept about 80 MB that way.
 *
 * The chunks it hands out are views: they are valid until `reset`, which is only called when
 * nothing decoded from them holds a Buffer (the decoders return strings and numbers; the model's
 * types hold no Buffer).
 */
export class Scratch {
  private buf = Buffer.allocUnsafe(SIZE);
  private used = 0;

  /** Everything handed out before is dead: start again from the beginning. */
  reset(): void {
    this.used = 0;
  }

  /** Where the next datagram goes: at least ROOM bytes (a new block when this one is nearly full). */
  room(): Buffer {
    if (this.buf.length - this.used < ROOM) {
      // views into the old block stay valid: it is garbage only once they are
      this.buf = Buffer.allocUnsafe(SIZE);
      this.used = 0;
    }
    return this.buf.subarray(this.used);
  }

  /** The `n` bytes just received into `room()`, as a view of their own. */
  take(n: number): Buffer {
    const view = this.buf.subarray(this.used, this.used + n);
    // the next datagram starts aligned, as the kernel aligns messages
    this.used += (n + 7) & ~7;
    return view;
  }
}

/** The one an observation uses: observations run one namespace at a time, synchronously. */
export const observationScratch = new Scratch();
