import type { Layout } from './layout.js';

/**
 * What the runner needs of a contestant: it builds the layout in a fresh namespace playing the
 * host (made for it, with the uplinks `up0` and `up1`), reports each timed step, and takes it all
 * down again. The runner removes whatever is left and waits until it is gone.
 */
export const STEPS = ['apply', 'plan', 'apply-noop', 'add-one', 'change-one', 'destroy', 'watch-add-one'] as const;
export type StepName = (typeof STEPS)[number];

export interface StepResult {
  readonly step: StepName;
  /** Wall seconds. */
  readonly s: number;
  /** Peak RSS of the process in MB (ctnet only: the peers are many processes). */
  readonly rssMb?: number;
}

export type Reporter = (r: StepResult) => void;

export interface Contestant {
  readonly name: string;
  /** A short tag, part of its namespace names. */
  readonly tag: string;
  run(lay: Layout, report: Reporter): Promise<void>;
}
