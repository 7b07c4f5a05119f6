import yoctoSpinner, { type Spinner } from 'yocto-spinner';
import type { Progress } from '../model/progress.js';
import type { GlobalOpts } from './output.js';

/** A run shorter than this shows nothing: a flash of spinner on every quick apply is noise. */
export const PROGRESS_AFTER_MS = 1000;
/** How often the elapsed time is redrawn. */
const TICK_MS = 200;

export interface ProgressView {
  readonly onProgress: (p: Progress) => void;
  /** Clears the line: the report printed after it starts on a clean one. */
  readonly stop: () => void;
}

/** `apply 12/40 actions, 3.4s`: the phase, done/total (once there is a plan), the elapsed time. */
export function progressText(p: Progress, elapsedMs: number): string {
  const count = p.total ? ` ${p.done}/${p.total} actions` : '';
  return `${p.phase}${count}, ${(elapsedMs / 1000).toFixed(1)}s`;
}

/**
 * A spinner on stderr for a long apply or destroy, or nothing: when stderr is no terminal (a log,
 * a pipe), with --json (one document, nothing else) or -q (errors only).
 */
export function progressView(g: GlobalOpts, stream: NodeJS.WriteStream = process.stderr): ProgressView | undefined {
  if (!stream.isTTY || g.json || g.quiet) return undefined;
  const start = Date.now();
  let last: Progress = { phase: 'observe', done: 0, total: 0 };
  let spinner: Spinner | undefined;
  let tick: NodeJS.Timeout | undefined;
  const draw = () => {
    if (spinner) spinner.text = progressText(last, Date.now() - start);
  };
  const show = setTimeout(() => {
    // ctnet's own signal handling stays as it is: the spinner must not turn SIGTERM into exit 143
    spinner = yoctoSpinner({ stream, handleSignals: false, text: progressText(last, Date.now() - start) }).start();
    tick = setInterval(draw, TICK_MS);
    tick.unref();
  }, PROGRESS_AFTER_MS);
  show.unref();
  return {
    onProgress: (p) => {
      last = p;
      draw();
    },
    stop: () => {
      clearTimeout(show);
      clearInterval(tick);
      spinner?.stop();
    },
  };
}
