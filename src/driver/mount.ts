import { closeSync, existsSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { loadLibc, strerror } from './netlink/libc.js';
import type { Op } from '../model/ops.js';
import { probeNetnsPath, reservedIdentities } from './netns-path.js';

/**
 * Names a runtime's network namespace under /run/netns the way `ip netns attach` does for a PID,
 * but for any path (`/proc/PID/ns/net`, a runtime's bind mount): an empty file with the path
 * bind-mounted on it. In-process through libc (koffi), so no path ever reaches a shell.
 */
const MS_BIND = 4096;
const MNT_DETACH = 2;
const RUN = '/run/netns';

/** Runs one attach or detach; returns the failure message, if any. */
export function mountOp(op: Op, hostNetns: string | null = null): string | undefined {
  const { mount, umount2, errno } = loadLibc();
  if (op.op === 'netns-attach') {
    const refused = stillForeign(op.path, hostNetns);
    if (refused) return refused;
    mkdirSync(RUN, { recursive: true });
    const file = `${RUN}/${op.name}`;
    if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o444));
    if (mount(op.path, file, null, MS_BIND, null) !== 0) {
      const e = errno();
      unlinkSync(file);
      return `mount --bind ${op.path} ${file}: ${strerror(e)}`;
    }
    return undefined;
  }
  if (op.op === 'netns-detach') {
    const file = `${RUN}/${op.name}`;
    // detached already (a kill between umount and unlink): only the file is left
    if (umount2(file, MNT_DETACH) !== 0 && errno() !== 22 && errno() !== 2)
      return `umount ${file}: ${strerror(errno())}`;
    if (existsSync(file)) unlinkSync(file);
    return undefined;
  }
  return `not a mount operation: ${op.op}`;
}

/**
 * The planner judged the path (plan/check-netns-paths.ts); what it names may have changed since
 * (a runtime restarted, a path swapped): judged again right before the mount, never mounted when
 * it is no network namespace or one no container may use.
 */
function stillForeign(path: string, hostNetns: string | null): string | undefined {
  const probe = probeNetnsPath(path);
  if ('problem' in probe) {
    return probe.problem === 'missing'
      ? `${path}: No such file or directory`
      : `${path}: not a usable network namespace`;
  }
  if (reservedIdentities(hostNetns)[probe.identity])
    return `${path}: the host's network namespace, never a container's`;
  return undefined;
}
