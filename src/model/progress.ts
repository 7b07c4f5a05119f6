/**
 * Where a long run is, for whoever shows it (the CLI on a terminal). The engine and the executor
 * report; they never know who listens, nor whether anyone does.
 */
export type Phase = 'observe' | 'plan' | 'apply' | 'verify';

export interface Progress {
  readonly phase: Phase;
  /** Actions finished (run, failed or skipped) in `apply`; 0 in the other phases. */
  readonly done: number;
  /** Actions in the plan being run; 0 before there is one. */
  readonly total: number;
}

export type OnProgress = (p: Progress) => void;
