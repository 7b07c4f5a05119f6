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
 */
export async function probeCapabilities(): Promise<KernelCapabilities> {
  return { dummy: existsSync('/sys/module/dummy') || (await probeDummy()) };
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
