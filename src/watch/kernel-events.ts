import { libcProblem } from '../driver/netlink/libc.js';
import { watchWithIpMonitor } from './ip-monitor.js';
import { watchWithNetlink } from './netlink-events.js';
import type { KernelEventOptions, KernelEvents } from './kernel-source.js';

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
