import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { loadLibc } from '../driver/netlink/libc.js';
import { CtnetFailure } from '../model/errors.js';
import { causeOf } from './atomic-write.js';

/**
 * The instance lock: `flock(LOCK_EX)` on `<state-dir>/lock`, held for the life of the process
 * (the kernel drops it when the process dies, so a crash never leaves a stale lock), with the
 * holder's pid written in the file for the message a second run prints.
 */
const LOCK_EX = 2;
const LOCK_NB = 4;
const EWOULDBLOCK = 11;

export type LockResult =
  { readonly ok: true; readonly release: () => void } | { readonly ok: false; readonly holder?: number };

/**
 * Opening the lock file for writing is the first write a run makes: a read-only or unwritable
 * state dir stops the run here, before any kernel change, naming the path and the cause.
 */
function openLockFile(dir: string, file: string): number {
  try {
    mkdirSync(dir, { recursive: true });
    return openSync(file, 'a+', 0o600);
  } catch (e) {
    throw new CtnetFailure([
      {
        code: 'state',
        message: `cannot open lock file ${file}: ${causeOf(e)}; nothing was changed`,
      },
    ]);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Takes the lock, waiting up to `waitSeconds` (0: not at all) for another holder to finish. */
export async function acquireLock(dir: string, waitSeconds = 0): Promise<LockResult> {
  const file = join(dir, 'lock');
  const fd = openLockFile(dir, file);
  // koffi ships prebuilt binaries: no compiler at install time
  const { flock, errno } = loadLibc();
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) === 0) break;
    const e = errno();
    if (e !== EWOULDBLOCK) {
      closeSync(fd);
      throw new Error(`cannot lock ${file}: errno ${e}`);
    }
    if (Date.now() >= deadline) {
      const holder = Number(readFileSync(file, 'utf8').trim());
      closeSync(fd);
      return { ok: false, holder: holder > 0 ? holder : undefined };
    }
    await sleep(100);
  }
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, `${process.pid}\n`, 0);
  } catch (e) {
    closeSync(fd);
    throw new CtnetFailure([
      {
        code: 'state',
        message: `cannot write lock file ${file}: ${causeOf(e)}; nothing was changed`,
      },
    ]);
  }
  let held = true;
  return {
    ok: true,
    release: () => {
      if (!held) return;
      held = false;
      ftruncateSync(fd, 0);
      closeSync(fd); // closing the descriptor drops the lock
    },
  };
}
