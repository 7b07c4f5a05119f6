import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { emptyRegistry, type Registry } from '../model/shared.js';
import { causeOf, writeFileAtomically } from './atomic-write.js';
import { acquireLock, type LockResult } from './lock.js';

/**
 * The host-wide registry of shared host sysctls: `/run/ctnet/hosts/<dev>-<inode>/sysctls.json`,
 * keyed by the identity of the namespace playing the host (a name can be reused, an identity
 * cannot while it lives), outside every state dir so that a lost state file still finds its
 * holds. It lives under /run (tmpfs): a reboot forgets it, as the kernel forgets the values.
 * Written atomically (temporary file, rename) under `flock` on the directory's `lock`.
 */
export const RUN_DIR = '/run/ctnet/hosts';

/** Seconds a run waits for another instance on the same host to finish with the registry. */
const WAIT_SECONDS = 300;

/** The registry's directory for a host namespace (`null`: the one ctnet runs in), if it is one. */
export function registryDir(hostNetns: string | null): string | undefined {
  try {
    const own = statSync('/proc/self/ns/net');
    const st = hostNetns === null ? own : statSync(join('/run/netns', hostNetns));
    // a name with no namespace mounted on it (nsfs) has no identity to key the registry by
    if (st.dev !== own.dev) return undefined;
    return join(RUN_DIR, `${st.dev}-${st.ino}`);
  } catch {
    return undefined;
  }
}

export function readRegistry(dir: string): Registry {
  try {
    // another ctnet's file: its shape is checked before it is taken for a Registry
    const j = JSON.parse(readFileSync(join(dir, 'sysctls.json'), 'utf8')) as { version?: unknown; sysctls?: unknown };
    return j.version === 1 && typeof j.sysctls === 'object' && j.sysctls ? (j as Registry) : emptyRegistry();
  } catch {
    return emptyRegistry();
  }
}

/** Writes the registry, or removes its file once no key is held (the lock file stays: someone may wait on it). */
export function writeRegistry(dir: string, reg: Registry): void {
  const file = join(dir, 'sysctls.json');
  if (!Object.keys(reg.sysctls).length) {
    rmSync(file, { force: true });
    return;
  }
  try {
    writeFileAtomically(file, JSON.stringify(reg, null, 1) + '\n');
  } catch (e) {
    throw new Error(`cannot write the host registry ${file}: ${causeOf(e)}`, { cause: e });
  }
}

/** Every run that may change the kernel holds this from its observation to the end of its changes. */
export async function lockRegistry(dir: string): Promise<LockResult> {
  return acquireLock(dir, WAIT_SECONDS);
}
