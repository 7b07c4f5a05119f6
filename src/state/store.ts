import { mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync, fsyncSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { emptyInventory, type Inventory } from '../plan/types.js';

export const DEFAULT_STATE_DIR = '/var/lib/ctnet';

export interface LoadedState {
  readonly inventory: Inventory;
  /** The file was missing or unreadable: ownership must be rebuilt from kernel markers. */
  readonly lost: boolean;
}

/** Reads state.json; a missing or corrupt file is not fatal (SPEC §2), it is set aside and rebuilt. */
export function loadState(dir: string): LoadedState {
  const file = join(dir, 'state.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { inventory: emptyInventory(), lost: true };
  }
  try {
    const j = JSON.parse(text) as Inventory;
    if (j.version !== 1 || typeof j.namespaces !== 'object' || typeof j.sysctls !== 'object') throw new Error('shape');
    return { inventory: j, lost: false };
  } catch {
    renameSync(file, `${file}.corrupt-${Date.now()}`);
    return { inventory: emptyInventory(), lost: true };
  }
}

/** Write to a temporary file, fsync, rename: a crash leaves the old or the new file, never half. */
export function saveState(dir: string, inv: Inventory): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'state.json');
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(inv, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** An exclusive lock file holding the owner's pid; a lock left by a dead process is taken over. */
export function acquireLock(dir: string): (() => void) | undefined {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid > 0 && alive(pid)) return undefined;
      rmSync(file, { force: true });
    }
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
