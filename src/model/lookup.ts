/**
 * `rec[key]` typed as what it is at run time: undefined for a key the record lacks. The compiler
 * takes every key of a Record as present (noUncheckedIndexedAccess is off), so a guard after a
 * plain index looks needless to it; through here the guard is typed as needed.
 */
export const lookup = <V>(rec: Readonly<Record<string, V>>, key: string): V | undefined => rec[key];
