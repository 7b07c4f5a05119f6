const V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The hex groups of one side of `::` (none for an empty side); undefined when one is not a group. */
function groups(side: string): number | undefined {
  if (side === '') return 0;
  const parts = side.split(':');
  return parts.every((g) => GROUP.test(g)) ? parts.length : undefined;
}

/**
 * Which family an address text is (0: neither), as `net.isIP` says it for texts without a zone
 * suffix (`%eth0`, which ctnet refuses anyway). Node checks IPv6 with one large regular
 * expression that costs some 15 µs a text: the thousands of addresses a run reads (a veth's
 * IPv6 link-local each) made it a visible part of every plan.
 */
export function familyOf(text: string): 4 | 6 | 0 {
  if (V4.test(text)) return 4;
  if (!text.includes(':') || text.includes('%')) return 0;
  // an IPv4 tail (`::ffff:10.0.0.1`) counts as two groups
  const tail = text.lastIndexOf(':');
  const v4 = text.includes('.', tail);
  if (v4 && !V4.test(text.slice(tail + 1))) return 0;
  const head = v4 ? text.slice(0, tail + 1) : text;
  const extra = v4 ? 2 : 0;
  const halves = head.split('::');
  if (halves.length > 2) return 0;
  if (halves.length === 1) {
    // without `::`, a text ending in ':' before its IPv4 tail keeps it ('1:2:3:4:5:6:' + v4)
    const body = v4 ? head.slice(0, -1) : head;
    const n = groups(body);
    return n !== undefined && n + extra === 8 ? 6 : 0;
  }
  const [left, right] = halves;
  // `::` before an IPv4 tail: the tail's own ':' is the second colon of `::`
  const rightBody = v4 && right !== '' ? right.slice(0, -1) : right;
  // `1:::1.2.3.4`: a colon alone after `::`
  if (v4 && right !== '' && rightBody === '') return 0;
  const a = groups(left);
  const b = groups(rightBody);
  return a !== undefined && b !== undefined && a + b + extra <= 7 ? 6 : 0;
}
