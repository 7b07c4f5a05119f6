import { existsSync } from 'node:fs';
import type { KernelCapabilities } from '../model/kernel.js';
import { run } from './spawn.js';

/**
 * What the kernel can make, probed once per observation (a module may be loaded meanwhile).
 *
 * Dummy links: `/sys/module/dummy` exists once the driver is in (loaded, or built in); when it is
 * absent the driver may still be a module the kernel loads on demand, so a dummy is made for a
 * moment in a private, anonymous network namespace (`unshare --net`). That namespace belongs to
 * the probe process and vanishes with it, killed or not: nothing is ever left behind, in the real
 * host or in the namespace that plays it (`--host-netns`), and no name can collide. The probe's
 * names are constants: no user value reaches it.
 *
 * Sysctls kept per network namespace (`perNs`): those a fresh, empty namespace of the same kind
 * can write. The kernel registers global-only keys (`net.core.netdev_max_backlog`) in the initial
 * namespace alone, and shows some (`net.core.rmem_max`) read-only elsewhere.
 */
export async function probeCapabilities(perNs = false): Promise<KernelCapabilities> {
  const dummy = existsSync('/sys/module/dummy') || (await probeDummy());
  const netnsSysctls = perNs ? await probeNetnsSysctls() : undefined;
  return { dummy, ...(netnsSysctls ? { netnsSysctls } : {}) };
}

async function probeDummy(): Promise<boolean> {
  try {
    const r = await run('unshare', ['--net', 'ip', 'link', 'add', 'ctnet-probe', 'type', 'dummy']);
    return r.code === 0;
  } catch {
    // no unshare: a bridge serves every loopback network just as well
    return false;
  }
}

/** Writable files under /proc/sys/net in a fresh namespace, as `net/...` paths; undefined when unknown. */
async function probeNetnsSysctls(): Promise<string[] | undefined> {
  try {
    const r = await run('unshare', ['--net', 'find', '/proc/sys/net', '-type', 'f', '-perm', '-u=w']);
    if (r.code !== 0) return undefined;
    const paths = r.stdout.split('\n').filter((l) => l.startsWith('/proc/sys/net/'));
    return paths.map((l) => l.slice('/proc/sys/'.length)).sort();
  } catch {
    // no unshare: nothing is known, and nothing is refused for it
    return undefined;
  }
}
