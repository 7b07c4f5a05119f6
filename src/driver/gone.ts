import type { Op } from '../model/ops.js';

/**
 * "No such object", per kind of deletion: deleting what is already gone (a route flushed with
 * its link's last address, a veth that went with its namespace) is done, not refused. The words
 * are ip's (strerror, or the kernel's extended ACK, which replaces it for addresses:
 * "ipv4: Address not found"); the errnos are what the kernel answers underneath, for the
 * netlink driver. Both drivers agree on what counts as gone.
 */
const GONE: Partial<Record<Op['op'], RegExp>> = {
  'route-del': /No such process/,
  'addr-del': /Cannot assign requested address|[Aa]ddress not found/,
  'neigh-del': /No such file or directory/,
  'fdb-del': /No such file or directory/,
  'link-del': /Cannot find device/,
  'link-del-group': /No such device/,
  'netns-del': /No such file or directory/,
};

const ENOENT = 2;
const ESRCH = 3;
const ENODEV = 19;
const EADDRNOTAVAIL = 99;
const GONE_ERRNO: Partial<Record<Op['op'], number>> = {
  'route-del': ESRCH,
  'addr-del': EADDRNOTAVAIL,
  'neigh-del': ENOENT,
  'fdb-del': ENOENT,
  'link-del': ENODEV,
  'link-del-group': ENODEV,
};

export const alreadyGone = (op: Op | undefined, message: string): boolean => !!op && !!GONE[op.op]?.test(message);

/** The same decision from the kernel's errno (the netlink driver has it; ip only prints words). */
export const goneErrno = (op: Op, errno: number): boolean => GONE_ERRNO[op.op] === errno;
