/**
 * A growing byte buffer that JSON text is written into, with the primitives the column encoders
 * share. Text is built as UTF-8 bytes and turned into a string once per chunk ({@link JsonOut.take}):
 * far cheaper than building millions of small strings and concatenating them.
 */

/** Per byte: 0 written as is, 1 written as is but not ASCII, 2 needs an escape. */
const BYTE_CLASS = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) BYTE_CLASS[c] = 2;
BYTE_CLASS[0x22] = 2;
BYTE_CLASS[0x5c] = 2;
for (let c = 0x80; c < 0x100; c++) BYTE_CLASS[c] = 1;

function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * How the text is written: `plain` is the JSON text itself; `embedded` is that text already
 * escaped as the body of a JSON string literal (what `JSON.stringify(text).slice(1, -1)` gives),
 * for callers that put it inside a string of a JSON message.
 */
export type JsonTextMode = 'plain' | 'embedded';

export class JsonOut {
  buf: Buffer;
  pos = 0;
  /** False once a byte ≥ 0x80 has been written since the last {@link take}. */
  ascii = true;
  /**
   * How many more bytes than the plain text has been written since the last {@link take}: 0 in
   * plain mode; in embedded mode, the escaping's own bytes (callers that write quotes themselves
   * add {@link quotePairExtra} per pair).
   */
  extra = 0;
  /** The bytes of `"` in this mode. */
  readonly quote: Uint8Array;
  /** The bytes a pair of quotes adds to the plain text's in this mode. */
  readonly quotePairExtra: number;
  /** Per byte < 0x80 that needs escaping: how many bytes its escape has beyond the plain escape. */
  private readonly escapeExtra: number[];
  /** Per byte < 0x80 that needs escaping in a JSON string: its escape, in this mode. */
  readonly escapes: (Uint8Array | undefined)[];
  /** Bytes an escaped string may need per byte of input, at most. */
  readonly maxEscapeGrowth: number;
  readonly embedded: boolean;

  constructor(mode: JsonTextMode = 'plain', initialSize = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialSize);
    this.embedded = mode === 'embedded';
    this.quote = asciiBytes(this.escapeText('"'));
    this.quotePairExtra = 2 * (this.quote.length - 1);
    this.escapes = [];
    this.escapeExtra = [];
    let growth = 1;
    for (let c = 0; c < 0x80; c++) {
      if (BYTE_CLASS[c] !== 2) continue;
      const plain = JSON.stringify(String.fromCharCode(c)).slice(1, -1);
      const escaped = asciiBytes(this.escapeText(plain));
      this.escapes[c] = escaped;
      this.escapeExtra[c] = escaped.length - plain.length;
      growth = Math.max(growth, escaped.length);
    }
    this.maxEscapeGrowth = growth;
  }

  /** `text` (JSON text, any characters) as this mode writes it. */
  escapeText(text: string): string {
    return this.embedded ? JSON.stringify(text).slice(1, -1) : text;
  }

  /**
   * Bytes that {@link ensure} always leaves free beyond what it is asked for, so that a caller can
   * write up to this many bytes after any write without checking (the row loop writes keys so).
   */
  slack = 16;

  /** Makes room for `n` more bytes (and {@link slack} more). */
  ensure(n: number): void {
    const need = this.pos + n + this.slack;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** Writes bytes known to be ASCII (pre-encoded keys, punctuation). */
  bytes(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = bytes[i]!;
    this.pos = p;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  null(): void {
    this.ensure(4);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = 0x6e;
    buf[p + 1] = 0x75;
    buf[p + 2] = 0x6c;
    buf[p + 3] = 0x6c;
    this.pos = p + 4;
  }

  /** Writes a string of ASCII characters that need no escaping (number text, dates). */
  ascii7(text: string): void {
    const n = text.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** Writes JSON text produced elsewhere (any characters), escaping it in embedded mode. */
  text(text: string): void {
    const escaped = this.escapeText(text);
    const n = escaped.length;
    this.extra += n - text.length; // escaping adds ASCII characters only
    this.ensure(n * 3);
    let ascii = true;
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = escaped.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      buf[p++] = c;
    }
    if (ascii) {
      this.pos = p;
      return;
    }
    this.pos += buf.write(escaped, this.pos, 'utf8');
    this.ascii = false;
  }

  /**
   * Writes the bytes `src[start, end)` (UTF-8) as a quoted JSON string: bytes that JSON requires
   * to be escaped are, the way `JSON.stringify` does it (`\n`, `\"`, `\u001f`, …).
   */
  quotedUtf8(src: Uint8Array, start: number, end: number): void {
    const quote = this.quote;
    const q = quote.length;
    this.ensure((end - start) * this.maxEscapeGrowth + 2 * q);
    this.extra += this.quotePairExtra;
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < q; i++) buf[p++] = quote[i]!;
    for (let k = start; k < end; k++) {
      const c = src[k]!;
      const cls = BYTE_CLASS[c]!;
      if (cls === 0) {
        buf[p++] = c;
      } else if (cls === 1) {
        buf[p++] = c;
        this.ascii = false;
      } else {
        const sequence = this.escapes[c]!;
        for (let i = 0; i < sequence.length; i++) buf[p++] = sequence[i]!;
        this.extra += this.escapeExtra[c]!;
      }
    }
    for (let i = 0; i < q; i++) buf[p++] = quote[i]!;
    this.pos = p;
  }

  /**
   * The text written since the last call, as a string, and the UTF-8 byte count of its plain
   * form (before any escaping for embedded mode). The buffer is reused.
   */
  take(): { text: string; plainBytes: number } {
    const n = this.pos;
    const extra = this.extra;
    this.pos = 0;
    this.extra = 0;
    if (this.ascii) return { text: this.buf.toString('latin1', 0, n), plainBytes: n - extra };
    this.ascii = true;
    const text = this.buf.toString('utf8', 0, n);
    // Not assuming the bytes were valid UTF-8: count what the string holds.
    return { text, plainBytes: Buffer.byteLength(text, 'utf8') - extra };
  }
}

/** ASCII digits of 00 … 99, two bytes each. */
export const DIGIT_PAIRS = new Uint8Array(200);
for (let n = 0; n < 100; n++) {
  DIGIT_PAIRS[2 * n] = 48 + Math.floor(n / 10);
  DIGIT_PAIRS[2 * n + 1] = 48 + (n % 10);
}

/** How many decimal digits a non-negative integer < 2^53 has. */
function digitCount(n: number): number {
  if (n < 1e8) {
    if (n < 1e4) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4;
    return n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8;
  }
  let count = 9;
  for (let t = 1e9; t <= n; t *= 10) count++;
  return count;
}

/**
 * Writes the decimal digits of a non-negative integer `n` < 2^53 at `p` of `buf` (room for 16
 * bytes must be there) and returns the position after them.
 */
export function writeUnsigned(buf: Uint8Array, p: number, n: number): number {
  const after = p + digitCount(n);
  let end = after;
  let q = n;
  while (q >= 4_294_967_296) {
    const next = Math.floor(q / 100);
    const r = 2 * (q - next * 100);
    end -= 2;
    buf[end] = DIGIT_PAIRS[r]!;
    buf[end + 1] = DIGIT_PAIRS[r + 1]!;
    q = next;
  }
  q >>>= 0;
  while (q >= 100) {
    const next = (q / 100) >>> 0;
    const r = 2 * (q - next * 100);
    end -= 2;
    buf[end] = DIGIT_PAIRS[r]!;
    buf[end + 1] = DIGIT_PAIRS[r + 1]!;
    q = next;
  }
  if (q >= 10) {
    buf[end - 2] = DIGIT_PAIRS[2 * q]!;
    buf[end - 1] = DIGIT_PAIRS[2 * q + 1]!;
  } else {
    buf[end - 1] = 48 + q;
  }
  return after;
}

/** Writes an integer `n` with |n| ≤ 2^53 (as {@link writeUnsigned}, with a sign). */
export function writeInteger(buf: Uint8Array, p: number, n: number): number {
  if (n < 0) {
    buf[p++] = 0x2d;
    return writeUnsigned(buf, p, -n);
  }
  return writeUnsigned(buf, p, n);
}

/** Writes `n` (0 ≤ n < 10^width) as exactly `width` digits, zero-padded. */
export function writeFixedDigits(buf: Uint8Array, p: number, n: number, width: number): number {
  let end = p + width;
  const after = end;
  let q = n;
  while (end > p) {
    const next = Math.floor(q / 10);
    buf[--end] = 48 + (q - next * 10);
    q = next;
  }
  return after;
}
