import { closeSync, existsSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { loadLibc, strerror } from './netlink/libc.js';
import type { Op } from '../model/ops.js';

/**
 * Names a runtime's network namespace under /run/netns the way `ip netns attach` does for a PID,
 * but for any path (`/proc/PID/ns/net`, a runtime's bind mount): an empty file with the path
 * bind-mounted on it. In-process through libc (koffi), so no path ever reaches a shell.
 */
const MS_BIND = 4096;
const MNT_DETACH = 2;
const RUN = '/run/netns';

/** Runs one attach or detach; returns the failure message, if any. */
export function mountOp(op: Op): string | undefined {
  const { mount, umount2, errno } = loadLibc();
  if (op.op === 'netns-attach') {
    if (!existsSync(op.path)) return `${op.path}: No such file or directory`;
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
    if (umount2(file, MNT_DETACH) !== 0 && errno() !== 22 && errno() !== 2) return `umount ${file}: ${strerror(errno())}`;
    if (existsSync(file)) unlinkSync(file);
    return undefined;
  }
  return `not a mount operation: ${op.op}`;
}
