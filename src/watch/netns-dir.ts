import { watch, type FSWatcher } from 'node:fs';
import { debounce } from './debounce.js';

const RUN = '/run/netns';

export interface NetnsDirOptions {
  readonly debounceMs: number;
  /** Whether a namespace of this name matters now (the manifests name it). */
  readonly wanted: (name: string) => boolean;
  readonly onChange: () => void;
  readonly onWarning: (message: string) => void;
}

export interface NetnsDir {
  /** Starts watching if /run/netns was missing until now (ctnet's first namespace makes it). */
  ensure(): void;
  close(): void;
}

/**
 * Named namespaces made or deleted: `ip netns add|del` raises no rtnetlink message the event
 * socket hears (a namespace without veths has no links in the host, and one without an id is not
 * heard at all). A foreign namespace in the way of a container rejects the manifests; once it is
 * deleted, only this says so before the resync. inotify on /run/netns, filtered to the names the
 * manifests ask for: other namespaces (other tools', other instances') come and go unheard.
 */
export function watchNetnsDir(o: NetnsDirOptions): NetnsDir {
  const fire = debounce(o.debounceMs, o.onChange);
  let w: FSWatcher | undefined;
  let closed = false;
  const start = (): void => {
    if (w || closed) return;
    try {
      w = watch(RUN, { persistent: false }, (_type, name) => {
        if (name === null || o.wanted(name.toString())) fire.poke();
      });
      w.on('error', (e) => o.onWarning(`watching ${RUN}: ${e.message}; named namespaces wait for the resync`));
    } catch (e) {
      // no namespace was ever named on this host: ctnet's first one makes the directory
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') o.onWarning(`watching ${RUN}: ${(e as Error).message}`);
    }
  };
  start();
  return {
    ensure: start,
    close() {
      closed = true;
      fire.cancel();
      w?.close();
    },
  };
}
