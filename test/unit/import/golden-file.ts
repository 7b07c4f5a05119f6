import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Compares with an expected file; `UPDATE_GOLDEN=1` writes it instead (only for an intended change). */
export function expectGolden(actual: string, file: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
