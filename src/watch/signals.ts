export interface SignalHandlers {
  /** SIGHUP: reconcile now. */
  readonly reload: () => void;
  /** SIGTERM or SIGINT, the first time. */
  readonly stop: (signal: NodeJS.Signals) => void;
}

/**
 * Installs the daemon's signal handlers and returns their removal. A second SIGTERM/SIGINT while
 * shutting down is ignored: the first one already asked to finish the running batch and exit,
 * and Node's default for a second one (die at once) would skip releasing the lock cleanly.
 */
export function onSignals(h: SignalHandlers): () => void {
  let stopping = false;
  const hup = (): void => h.reload();
  const term = (s: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    h.stop(s);
  };
  process.on('SIGHUP', hup);
  process.on('SIGTERM', term);
  process.on('SIGINT', term);
  return () => {
    process.off('SIGHUP', hup);
    process.off('SIGTERM', term);
    process.off('SIGINT', term);
  };
}
