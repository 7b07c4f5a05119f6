import type { Op } from '../../model/ops.js';
import { O_CLOEXEC } from './constants.js';
import { loadLibc, strerror } from './libc.js';
import { inNetns } from './netns.js';

const O_RDWR = 2;
const TUNSETIFF = 0x400454ca; // _IOW('T', 202, int)
const TUNSETPERSIST = 0x400454cb; // _IOW('T', 203, int)
const IFF_TAP = 0x0002;
const IFF_NO_PI = 0x1000;
const IFF_TUN_EXCL = 0x8000;
const IFNAMSIZ = 16;
const IFREQ_SIZE = 40;

/** A tap's creation, which is an ioctl on /dev/net/tun rather than an rtnetlink request. */
export const isTapAdd = (op: Op): boolean => op.op === 'link-add' && op.link.kind === 'tap';

/**
 * `ip tuntap add dev NAME mode tap`, in-process: open /dev/net/tun in the namespace (the device
 * is made in the namespace the file was opened in), TUNSETIFF with IFF_TAP|IFF_NO_PI|IFF_TUN_EXCL
 * and the name, TUNSETPERSIST 1, close. All synchronous inside `inNetns`. Returns ip's words for
 * a failure (`ioctl(TUNSETIFF): Device or resource busy`), undefined when made.
 */
export function tapAdd(where: string | null, name: string): string | undefined {
  if (Buffer.byteLength(name) >= IFNAMSIZ) return `"${name}" is too long`;
  const c = loadLibc();
  const make = (): string | undefined => {
    const fd = c.open('/dev/net/tun', O_RDWR | O_CLOEXEC);
    if (fd < 0) return `open: ${strerror(c.errno())}`;
    try {
      const ifr = Buffer.alloc(IFREQ_SIZE);
      ifr.write(name, 0, 'utf8');
      ifr.writeUInt16LE(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL, IFNAMSIZ);
      if (c.ioctlPtr(fd, TUNSETIFF, ifr) < 0) return `ioctl(TUNSETIFF): ${strerror(c.errno())}`;
      if (c.ioctlInt(fd, TUNSETPERSIST, 1) < 0) return `ioctl(TUNSETPERSIST): ${strerror(c.errno())}`;
      return undefined;
    } finally {
      c.close(fd);
    }
  };
  return where === null ? make() : inNetns(where, make);
}
