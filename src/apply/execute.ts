import type { Driver, BatchFailure } from '../driver/types.js';
import type { Action } from '../plan/types.js';
import { toPhases } from './batches.js';

/** Runs the plan's commands phase by phase; stops after the first phase that failed. */
export async function execute(driver: Driver, actions: readonly Action[]): Promise<BatchFailure[]> {
  for (const phase of toPhases(actions)) {
    const failures = await driver.run(phase);
    if (failures.length) return failures;
  }
  return [];
}
