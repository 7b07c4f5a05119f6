import { closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { CLONE_NEWNET, O_CLOEXEC, O_RDONLY } from './constants.js';
import { loadLibc, strerror } from './libc.js';

/**
 * Named network namespaces made and removed in-process, the way `ip netns add|del` does it
 * (ip/ipnetns.c), with the same words on failure.
 *
 * Creation: an empty file under /run/netns, a new namespace for the calling thread
 * (unshare(CLONE_NEWNET)), that thread's namespace bind-mounted on the file, and the thread back
 * home with setns. ip forks first; here the calling thread is Node's main thread, which is safe
 * because a network namespace belongs to one thread (the libuv workers never leave theirs, and
 * unshare of CLONE_NEWNET, unlike CLONE_NEWNS or CLONE_NEWUSER, is allowed in a threaded
 * process), and because everything between unshare and the way back is synchronous: no other
 * JavaScript, and no spawn() (which forks from this thread), can run in the new namespace.
 */
const RUN = '/run/netns';
const MS_BIND = 4096;
const MS_REC = 16384;
const MS_SHARED = 1 << 20;
const MNT_DETACH = 2;
const EINVAL = 22;
let runDirShared = false;

/**
 * /run/netns as a shared mount point, once per process, as ip makes it: a namespace mounted
 * there later then shows in mount namespaces made meanwhile (`ip netns exec` makes one each time).
 */
function shareRunDir(): string | undefined {
  if (runDirShared) return undefined;
  const c = loadLibc();
  mkdirSync(RUN, { recursive: true, mode: 0o755 });
  for (;;) {
    if (c.mount('', RUN, 'none', MS_SHARED | MS_REC, null) === 0) break;
    const e = c.errno();
    // not a mount point yet: bind it on itself first, then share it
    if (e !== EINVAL || c.mount(RUN, RUN, 'none', MS_BIND | MS_REC, null) !== 0)
      return `mount --make-shared ${RUN} failed: ${strerror(c.errno() || e)}`;
  }
  runDirShared = true;
  return undefined;
}

/** `ip netns add NAME`; returns ip's words when it fails (the file is then removed again). */
export function netnsAdd(name: string): string | undefined {
  const shared = shareRunDir();
  if (shared) return shared;
  const c = loadLibc();
  const path = `${RUN}/${name}`;
  try {
    closeSync(openSync(path, 'wx', 0));
  } catch (e) {
    return `Cannot create namespace file "${path}": ${strerror((e as NodeJS.ErrnoException).errno ? -(e as NodeJS.ErrnoException).errno! : EINVAL)}`;
  }
  const home = c.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC);
  if (home < 0) return undone(path, `Cannot open the current network namespace: ${strerror(c.errno())}`);
  let failure: string | undefined;
  try {
    if (c.unshare(CLONE_NEWNET) < 0)
      failure = `Failed to create a new network namespace "${name}": ${strerror(c.errno())}`;
    else if (c.mount('/proc/thread-self/ns/net', path, 'none', MS_BIND, null) < 0)
      failure = `Bind /proc/self/ns/net -> ${path} failed: ${strerror(c.errno())}`;
  } finally {
    if (c.setns(home, CLONE_NEWNET) < 0) {
      // staying in the new namespace would make every later operation act there
      process.stderr.write(
        `ctnet: cannot return from the new network namespace ${name} (errno ${c.errno()}); exiting\n`,
      );
      process.exit(70);
    }
    c.close(home);
  }
  return failure ? undone(path, failure) : undefined;
}

function undone(path: string, message: string): string {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
  return message;
}

/** `ip netns del NAME`: detach the mount (the namespace dies with its last user), remove the file. */
export function netnsDel(name: string): string | undefined {
  const path = `${RUN}/${name}`;
  loadLibc().umount2(path, MNT_DETACH);
  try {
    unlinkSync(path);
    return undefined;
  } catch (e) {
    return `Cannot remove namespace file "${path}": ${strerror(-((e as NodeJS.ErrnoException).errno ?? -EINVAL))}`;
  }
}
