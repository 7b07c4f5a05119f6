import { libcProblem } from '../driver/netlink/libc.js';
import { watchWithIpMonitor } from './ip-monitor.js';
import { watchWithNetlink } from './netlink-events.js';

export interface KernelEvents {
  /** How events are heard: one in-process netlink socket, or an `ip monitor` child (fallback). */
  readonly source: 'netlink' | 'ip monitor';
  /** The monitor child's pid, while it runs (none with netlink). */
  readonly pid: () => number | undefined;
  /**
   * The namespaces ctnet owns now: they are made audible (given an id in the host) if need be.
   * True when one was just given an id: its changes until now went unheard.
   */
  own(netns: readonly string[]): boolean;
  close(): Promise<void>;
}

export interface KernelEventOptions {
  readonly hostNetns: string | null;
  readonly debounceMs: number;
  /**
   * Links, addresses, routes or proxy entries changed somewhere, then things went quiet.
   * `touched`: the ids (in the host) of the namespaces the changes came from, besides the host's
   * own; undefined when that is not known (ip monitor, dropped messages): anything may have changed.
   */
  readonly onChange: (touched?: { readonly nsids: readonly number[] }) => void;
  readonly onWarning: (message: string) => void;
}

/**
 * Kernel changes as a trigger source: a deleted or changed owned object, in the host or in any
 * owned namespace, is repaired without waiting for the resync. Events are not parsed into
 * objects: the loop's full reconcile decides what (if anything) to do, so ctnet's own changes
 * cost one more reconcile with an empty plan and then it is quiet. In-process netlink where the
 * binding loads, else one `ip monitor` child.
 */
export function watchKernel(o: KernelEventOptions): KernelEvents {
  const why = libcProblem();
  if (why === undefined) {
    try {
      return watchWithNetlink(o);
    } catch (e) {
      o.onWarning(`cannot listen to netlink events (${(e as Error).message}); using ip monitor`);
    }
  } else {
    o.onWarning(`the netlink binding cannot load (${why}); kernel events through ip monitor`);
  }
  return watchWithIpMonitor(o);
}
