export interface Debouncer {
  /** Something happened: fire once things have been quiet for the delay. */
  poke(): void;
  cancel(): void;
}

/**
 * A trailing debounce with a ceiling: a burst (a git checkout, an apply's own kernel events)
 * fires once after it ends, and a source that never goes quiet still fires every `maxWaitMs`
 * instead of starving the loop.
 */
export function debounce(ms: number, fire: () => void, maxWaitMs = Math.max(1000, ms * 5)): Debouncer {
  let timer: NodeJS.Timeout | undefined;
  let first = 0;
  const run = (): void => {
    timer = undefined;
    first = 0;
    fire();
  };
  return {
    poke() {
      const now = Date.now();
      if (!first) first = now;
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, Math.min(ms, first + maxWaitMs - now)));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      first = 0;
    },
  };
}
