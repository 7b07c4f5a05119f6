import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/**
 * The few libc calls ctnet makes in-process (netlink, namespaces, mounts, taps, its lock), through
 * koffi (prebuilt binaries: no compiler at install time). Loaded lazily and once; `loadLibc()`
 * throws when the binding cannot load (another libc, a platform koffi has no binary for), which
 * makes ctnet fall back to iproute2. The members are plain functions: they may be taken out of it.
 */
export interface Libc {
  readonly socket: (domain: number, type: number, protocol: number) => number;
  readonly bind: (fd: number, addr: Buffer, len: number) => number;
  readonly send: (fd: number, buf: Buffer, len: number, flags: number) => number;
  readonly recv: (fd: number, buf: Buffer, len: number, flags: number) => number;
  /** recvmsg with one iovec: `msg.controllen` is updated to the length of the ancillary data received. */
  readonly recvmsg: (fd: number, msg: MsgHdr, flags: number) => number;
  readonly setsockopt: (fd: number, level: number, name: number, value: Buffer, len: number) => number;
  readonly close: (fd: number) => number;
  readonly open: (path: string, flags: number) => number;
  readonly setns: (fd: number, nstype: number) => number;
  readonly strerror: (errno: number) => string;
  readonly unshare: (flags: number) => number;
  readonly mount: (source: string, target: string, fstype: string | null, flags: number, data: null) => number;
  readonly umount2: (target: string, flags: number) => number;
  readonly flock: (fd: number, op: number) => number;
  /** ioctl with a pointer argument (a `struct ifreq`, filled in place). */
  readonly ioctlPtr: (fd: number, request: number, arg: Buffer) => number;
  /** ioctl with an integer argument (TUNSETPERSIST 1). */
  readonly ioctlInt: (fd: number, request: number, arg: number) => number;
  readonly errno: () => number;
}

/** `struct msghdr` with one data buffer and one control buffer (koffi passes each Buffer's own memory). */
export interface MsgHdr {
  name: null;
  namelen: number;
  iov: { base: Buffer; len: number };
  iovlen: number;
  control: Buffer;
  controllen: number;
  flags: number;
}

let cached: Libc | Error | undefined;

export function loadLibc(): Libc {
  if (cached === undefined) {
    try {
      const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
      const lib = koffi.load('libc.so.6');
      // `void *` parameters take a Buffer: koffi passes its memory, so recv fills it in place
      koffi.struct('ctnet_iovec', { base: 'void *', len: 'size_t' });
      koffi.struct('ctnet_msghdr', {
        name: 'void *',
        namelen: 'uint32_t',
        iov: 'ctnet_iovec *',
        iovlen: 'size_t',
        control: 'void *',
        controllen: 'size_t',
        flags: 'int',
      });
      cached = {
        recvmsg: lib.func('long recvmsg(int fd, _Inout_ ctnet_msghdr *msg, int flags)'),
        socket: lib.func('int socket(int domain, int type, int protocol)'),
        bind: lib.func('int bind(int fd, const void *addr, uint32_t len)'),
        send: lib.func('long send(int fd, const void *buf, size_t len, int flags)'),
        recv: lib.func('long recv(int fd, void *buf, size_t len, int flags)'),
        setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)'),
        close: lib.func('int close(int fd)'),
        open: lib.func('int open(const char *path, int flags)'),
        setns: lib.func('int setns(int fd, int nstype)'),
        // the C locale's words, as ip prints them ("File exists")
        strerror: lib.func('const char *strerror(int errnum)'),
        unshare: lib.func('int unshare(int flags)'),
        mount: lib.func(
          'int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const void *data)',
        ),
        umount2: lib.func('int umount2(const char *target, int flags)'),
        flock: lib.func('int flock(int fd, int op)'),
        // ioctl is variadic in C; on Linux's ABIs a fixed third argument is passed the same way
        ioctlPtr: lib.func('ioctl', 'int', ['int', 'unsigned long', 'void *']),
        ioctlInt: lib.func('ioctl', 'int', ['int', 'unsigned long', 'unsigned long']),
        errno: () => koffi.errno(),
      };
    } catch (e) {
      cached = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (cached instanceof Error) throw cached;
  return cached;
}

/** Whether the in-process driver can run here; the reason when not (for a notice, never noise). */
export function libcProblem(): string | undefined {
  try {
    loadLibc();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  3: 'No such process',
  4: 'Interrupted system call',
  9: 'Bad file descriptor',
  11: 'Resource temporarily unavailable',
  12: 'Cannot allocate memory',
  13: 'Permission denied',
  16: 'Device or resource busy',
  17: 'File exists',
  19: 'No such device',
  22: 'Invalid argument',
  95: 'Operation not supported',
  105: 'No buffer space available',
  110: 'Connection timed out',
};

/** The kernel's words for an errno, as ip prints them: libc's strerror, or a table of the common ones. */
export function strerror(errno: number): string {
  try {
    return loadLibc().strerror(errno);
  } catch {
    return ERRNO_NAMES[errno] ?? `errno ${errno}`;
  }
}

/** An error carrying the errno, so callers can tell "gone" (ENOENT) from real failures. */
export class SysError extends Error {
  constructor(
    readonly what: string,
    readonly errno: number,
  ) {
    super(`${what}: ${strerror(errno)}`);
  }
}
