/**
 * Runs `fn` at once and gives its result as a promise, a throw as a rejection: what an async
 * function whose body never awaits does. For the interfaces that promise a result (a driver, a
 * reader) where one implementation computes it synchronously: a caller's `.catch()` must still
 * see the failure.
 */
export const promised = <T>(fn: () => T): Promise<T> => new Promise<T>((resolve) => resolve(fn()));
