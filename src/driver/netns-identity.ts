import { statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A named namespace's identity as observed now: the inode of its nsfs file under /run/netns,
 * which is the namespace's own inode number. A namespace deleted and made again under the same
 * name gets another one (while the old one is alive; the kernel may hand a freed number out
 * again later, which is why a missing namespace counts as recreated too: see engine/overrides).
 */
export function netnsInode(name: string): number | undefined {
  try {
    return statSync(join('/run/netns', name)).ino;
  } catch {
    return undefined;
  }
}
