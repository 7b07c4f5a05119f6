import { libcProblem } from '../driver/netlink/libc.js';
import { openNftEvents } from '../driver/netlink/nft-events.js';
import { debounce } from './debounce.js';

/** As the rtnetlink socket (netlink-events.ts): a non-blocking read on an unref'd timer. */
const POLL_MS = 100;

export interface NftEventOptions {
  readonly hostNetns: string | null;
  /** The kernel name of this instance's table (`ctnet_<instance>`). */
  readonly table: string;
  readonly debounceMs: number;
  /** Something in the table changed (or messages were dropped), then things went quiet. */
  readonly onChange: () => void;
  readonly onWarning: (message: string) => void;
}

export interface NftEvents {
  readonly listening: boolean;
  close(): void;
}

/**
 * nftables changes as a trigger source: a hand edit of ctnet's table (a deleted table, set
 * element or rule, a flushed chain) raises no rtnetlink event, so without this only the resync
 * would repair it, and the isolation and NAT would be off until then. Messages are only matched
 * by table name, never decoded further: the run decides. ctnet's own transactions are heard too
 * and cost one more run, whose plan is empty (the loop is level-based), so it goes quiet.
 */
export function watchNftables(o: NftEventOptions): NftEvents {
  const why = libcProblem();
  if (why !== undefined) {
    o.onWarning(`the netlink binding cannot load (${why}): nftables changes wait for the resync`);
    return { listening: false, close: () => undefined };
  }
  let sock: ReturnType<typeof openNftEvents>;
  try {
    sock = openNftEvents(o.hostNetns, o.table);
  } catch (e) {
    o.onWarning(`cannot listen to nftables events (${(e as Error).message}): nftables changes wait for the resync`);
    return { listening: false, close: () => undefined };
  }
  const fire = debounce(o.debounceMs, o.onChange);
  let failing = false;
  const timer = setInterval(() => {
    try {
      const d = sock.drain();
      if (d.relevant || d.overrun) fire.poke();
      failing = false;
    } catch (e) {
      if (!failing) o.onWarning(`nftables events: ${(e as Error).message}`);
      failing = true;
    }
  }, POLL_MS);
  timer.unref();
  return {
    listening: true,
    close() {
      clearInterval(timer);
      fire.cancel();
      sock.close();
    },
  };
}
