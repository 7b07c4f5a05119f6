import { realpathSync, statSync, watch as fsWatch, type FSWatcher as DirWatcher } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { debounce } from './debounce.js';

export interface ManifestWatcher {
  close(): Promise<void>;
}

export interface ManifestWatchOptions {
  readonly debounceMs: number;
  /** The directory's contents changed and then stayed quiet for the debounce. */
  readonly onChange: () => void;
  readonly onError: (e: Error) => void;
}

/** Which directory the path leads to now: a swapped symlink or a recreated directory is another one. */
function identityOf(dir: string): string {
  try {
    const real = realpathSync(dir);
    const st = statSync(real);
    return `${real}#${st.dev}:${st.ino}`;
  } catch {
    return `${resolve(dir)}#missing`;
  }
}

const targetOf = (identity: string): string => identity.slice(0, identity.lastIndexOf('#'));

/**
 * Watches a manifest directory with chokidar. One trailing debounce over every raw event is both
 * the wait for writers and the merge of a burst: a file being written keeps sending events, so
 * the directory is read only after `debounceMs` without any write (no half-written file is read,
 * and a git checkout that rewrites many files is one trigger). chokidar's own `awaitWriteFinish`
 * made the same wait a second time, before the debounce even started: a change took twice the
 * debounce plus a poll to reach the loop. A `.git` folder inside is ignored (git writes there on
 * every command). The directory path itself is watched from its parent: when it is a symlink that
 * gets swapped (`mv -T new current`), or a directory that is replaced, the watcher follows to the
 * new target and triggers once.
 */
export async function watchManifests(dir: string, o: ManifestWatchOptions): Promise<ManifestWatcher> {
  const fire = debounce(o.debounceMs, o.onChange);
  let identity = identityOf(dir);
  let inner: FSWatcher | undefined;
  const open = async (): Promise<void> => {
    const root = targetOf(identity);
    const w = watch(root, {
      ignoreInitial: true,
      followSymlinks: true,
      // what the manifest loader skips (hidden names: .git, editors' swap files) is no change
      ignored: (p: string) =>
        relative(root, p)
          .split(sep)
          .some((seg) => seg.startsWith('.')),
    });
    // only manifests and folders count: anything else written there (a state dir kept inside by
    // mistake, a README) must not feed the loop
    w.on('all', (event, p) => {
      if (event === 'addDir' || event === 'unlinkDir' || /\.ya?ml$/.test(p)) fire.poke();
    });
    w.on('error', (e) => o.onError(e instanceof Error ? e : new Error(String(e))));
    inner = w;
    await new Promise<void>((res) => w.once('ready', () => res()));
  };
  await open();
  let swapping = Promise.resolve();
  const parent = watchParent(
    dir,
    () => {
      const now = identityOf(dir);
      if (now === identity) return;
      identity = now;
      // one swap at a time: close the old watcher before opening the next
      swapping = swapping
        .then(async () => {
          await inner?.close();
          await open();
          fire.poke();
        })
        .catch((e: unknown) => o.onError(e as Error));
    },
    o.onError,
  );
  return {
    async close() {
      fire.cancel();
      parent?.close();
      await swapping;
      await inner?.close();
    },
  };
}

function watchParent(dir: string, onEntry: () => void, onError: (e: Error) => void): DirWatcher | undefined {
  const name = basename(resolve(dir));
  try {
    const w = fsWatch(dirname(resolve(dir)), { persistent: true }, (_ev, file) => {
      if (file === null || file === name) onEntry();
    });
    w.on('error', onError);
    return w;
  } catch (e) {
    onError(e as Error);
    return undefined;
  }
}
