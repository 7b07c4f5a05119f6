import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** `ENOSPC: no space left on device`: Node's words for a failed call, without the call's name. */
export const causeOf = (e: unknown): string =>
  ((e as { message?: string }).message ?? String(e)).replace(/, (open|write|fsync|rename|mkdir|close)\b.*$/, '');

/**
 * Write to a temporary file, fsync, rename, fsync the directory: a crash leaves the old or the
 * new file, never half. A failure (a full or read-only dir) removes the temporary file and
 * rethrows; the caller names what it was writing.
 */
export function writeFileAtomically(file: string, text: string): void {
  const dir = dirname(file);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeFileSync(fd, text); // loops over short writes: a nearly full disk never leaves half a file
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    syncDir(dir);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was made, or nothing can be removed either: the caller's message still says why
    }
    throw e;
  }
}

function syncDir(dir: string): void {
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
