import { statSync } from 'node:fs';
import { EventSocket } from '../driver/netlink/events.js';
import { assignNetnsIdsVia } from '../driver/netlink/nsid.js';
import { NetlinkSocket } from '../driver/netlink/socket.js';
import { promised } from '../model/promised.js';
import { debounce } from './debounce.js';
import type { KernelEventOptions, KernelEvents } from './kernel-source.js';

/**
 * How often the socket is read. koffi calls are synchronous, so a blocking recv would hold the
 * event loop, and a worker thread blocked in recv could not be stopped; a non-blocking socket read
 * every POLL_MS costs one syscall when idle (ten a second: nothing measurable) and adds at most
 * POLL_MS to the debounce.
 */
const POLL_MS = 100;

/**
 * Kernel events of every namespace through ONE netlink socket in the namespace playing the host
 * (`EventSocket`, NETLINK_LISTEN_ALL_NSID). The poll timer is unref'd and cleared on close, and
 * the socket closed: nothing of it keeps the process alive after stop.
 */
export function watchWithNetlink(o: KernelEventOptions): KernelEvents {
  const sock = EventSocket.open(o.hostNetns);
  // what the events named since the last fire; `unknown`: messages were dropped
  let nsids = new Set<number>();
  let unknown = false;
  const fire = debounce(o.debounceMs, () => {
    const touched = unknown ? undefined : { nsids: [...nsids].sort((a, b) => a - b) };
    nsids = new Set();
    unknown = false;
    o.onChange(touched);
  });
  /** Namespace name → identity of the namespace that was given an id (a recreated one needs another). */
  const numbered = new Map<string, string>();
  let failing = false;
  const timer = setInterval(() => {
    try {
      const d = sock.drain();
      if (d.overrun) unknown = true;
      for (const id of d.nsids) nsids.add(id);
      if (d.relevant || d.overrun) fire.poke();
      failing = false;
    } catch (e) {
      // said once; the resync still runs meanwhile
      if (!failing) o.onWarning(`netlink events: ${(e as Error).message}`);
      failing = true;
    }
  }, POLL_MS);
  timer.unref();
  return {
    source: 'netlink',
    pid: () => undefined,
    own(netns) {
      const fresh = netns.filter((n) => {
        const id = identity(n);
        return id !== undefined && numbered.get(n) !== id;
      });
      const owned = new Set(netns);
      for (const n of numbered.keys()) if (!owned.has(n)) numbered.delete(n);
      if (!fresh.length) return [];
      try {
        const s = NetlinkSocket.open(o.hostNetns);
        try {
          const failed = assignNetnsIdsVia(s, fresh);
          for (const n of fresh) if (!failed.includes(n)) numbered.set(n, identity(n)!);
          if (failed.length)
            o.onWarning(`cannot give ${failed.join(', ')} a namespace id: their changes wait for the resync`);
        } finally {
          s.close();
        }
      } catch (e) {
        o.onWarning(`cannot number owned namespaces (${(e as Error).message}): their changes wait for the resync`);
      }
      return fresh;
    },
    close: () =>
      promised(() => {
        clearInterval(timer);
        fire.cancel();
        sock.close();
      }),
  };
}

function identity(name: string): string | undefined {
  try {
    const s = statSync(`/run/netns/${name}`);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}
