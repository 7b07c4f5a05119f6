/** `--ipadd a,b --ipadd c` → [a, b, c]: a repeatable, comma-separated option. */
export const collectList = (value: string, previous: readonly string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
