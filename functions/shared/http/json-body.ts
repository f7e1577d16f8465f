/**
 * What JSON.parse lets through silently in a request body: a key given twice
 * (the last one wins, so `{"date": "…", "date": "…"}` means whatever the
 * parser prefers) and bytes that are not UTF-8 (decoded as U+FFFD, so a
 * subscription id could change under the caller's eyes). Both are refused
 * with their own message instead.
 */

/** The body's bytes as text, or null when they are not valid UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The first key that appears twice in one object of `text` (valid JSON), at
 * any depth, or null. A linear scan: strings are skipped as a whole (their
 * escapes included), objects and arrays kept on a stack.
 */
export function duplicateKey(text: string): string | null {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return key;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (ch === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (ch === '[') {
      stack.push(null);
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      expectKey = stack.at(-1) instanceof Set;
    }
  }
  return null;
}
