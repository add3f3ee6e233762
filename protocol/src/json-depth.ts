/**
 * How deeply a JSON text nests. A server re-serializes what clients send (a `notify` payload is
 * published to other connections), and serializing deep nesting recursively can exhaust the stack:
 * a message nesting deeper than {@link MAX_JSON_DEPTH} is refused before it is parsed. One
 * function, so that servers, clients and the conformance suite measure depth the same way.
 */

/** The nesting depth a message may have by default (hello `limits.maxJsonDepth`): the message object itself is depth 1. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether the JSON `text` nests objects and arrays more than `maxDepth` levels deep
 * (`{}` and `[]` are depth 1, `{"a":[1]}` is depth 2). Brackets inside strings do not count.
 * Runs in one pass over the text without parsing it; for text that is not valid JSON the answer is
 * about its brackets only (JSON.parse reports the rest).
 */
export function exceedsJsonDepth(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  // Nesting deeper than maxDepth takes more than maxDepth characters.
  if (text.length <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}
