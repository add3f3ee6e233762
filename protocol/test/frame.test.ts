import { describe, expect, it } from 'vitest';
import {
  alignedArrowPayload,
  decodeFrame,
  ErrorCode,
  encodeFrame,
  encodeFrameHead,
  FRAME_PREFIX_BYTES,
  type ParseResult,
  type ServerBinaryHeader,
  type UploadArrowHeader,
} from '../src/index.js';

const utf8 = new TextEncoder();

/** A frame with an arbitrary (possibly broken) header: `[u32 BE length][header bytes][payload]`. */
function rawFrame(header: Uint8Array, payload: Uint8Array = new Uint8Array(), length = header.byteLength): Uint8Array {
  const bytes = new Uint8Array(FRAME_PREFIX_BYTES + header.byteLength + payload.byteLength);
  new DataView(bytes.buffer).setUint32(0, length, false);
  bytes.set(header, FRAME_PREFIX_BYTES);
  bytes.set(payload, FRAME_PREFIX_BYTES + header.byteLength);
  return bytes;
}

function expectInvalidFrame<T>(result: ParseResult<T>, fault: string): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(ErrorCode.InvalidFrame);
  expect(result.error.code).toBe('invalid_frame');
  expect(result.error.message).toContain(`(${fault})`);
  expect(result.error.queryId).toBeUndefined();
}

describe('encodeFrame / decodeFrame', () => {
  const header: ServerBinaryHeader = { type: 'arrow', queryId: 'q1' };
  const payload = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 250]);

  it('lays out [u32 BE length][UTF-8 JSON header][payload]', () => {
    const frame = encodeFrame(header, payload);
    const json = utf8.encode(JSON.stringify(header));
    expect(new DataView(frame.buffer, frame.byteOffset).getUint32(0, false)).toBe(json.byteLength);
    expect(frame.subarray(FRAME_PREFIX_BYTES, FRAME_PREFIX_BYTES + json.byteLength)).toEqual(json);
    expect(frame.subarray(FRAME_PREFIX_BYTES + json.byteLength)).toEqual(payload);
    expect(frame.byteLength).toBe(FRAME_PREFIX_BYTES + json.byteLength + payload.byteLength);
  });

  it('round-trips header and payload', () => {
    const decoded = decodeFrame(encodeFrame(header, payload));
    expect(decoded).toEqual({ ok: true, value: { header, payload } });
  });

  it('round-trips a payload given as several parts', () => {
    const parts = [payload.subarray(0, 3), new Uint8Array(), payload.subarray(3, 7), payload.subarray(7)];
    const frame = encodeFrame(header, parts);
    expect(frame).toEqual(encodeFrame(header, payload));
    const decoded = decodeFrame(frame);
    expect(decoded.ok && decoded.value.payload).toEqual(payload);
  });

  it('round-trips an empty payload', () => {
    const decoded = decodeFrame(encodeFrame(header, new Uint8Array()));
    expect(decoded).toEqual({ ok: true, value: { header, payload: new Uint8Array() } });
  });

  it('round-trips non-ASCII header text (length counts bytes, not characters)', () => {
    const unicode: UploadArrowHeader = { type: 'uploadArrow', tableName: '"tâble 🦆"' };
    const frame = encodeFrame(unicode, payload);
    const json = utf8.encode(JSON.stringify(unicode));
    expect(new DataView(frame.buffer).getUint32(0, false)).toBe(json.byteLength);
    expect(decodeFrame(frame)).toEqual({ ok: true, value: { header: unicode, payload } });
  });

  it('encodeFrameHead followed by the payload equals encodeFrame', () => {
    const head = encodeFrameHead(header);
    const joined = new Uint8Array(head.byteLength + payload.byteLength);
    joined.set(head, 0);
    joined.set(payload, head.byteLength);
    expect(joined).toEqual(encodeFrame(header, payload));
    expect(decodeFrame(head)).toEqual({ ok: true, value: { header, payload: new Uint8Array() } });
  });

  it('returns the payload as a view of the input, not a copy', () => {
    const frame = encodeFrame(header, payload);
    const decoded = decodeFrame(frame);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.payload.buffer).toBe(frame.buffer);
  });

  it('decodes a subarray at a non-zero byteOffset of a bigger buffer', () => {
    const frame = encodeFrame(header, payload);
    const big = new Uint8Array(frame.byteLength + 20).fill(0xee);
    big.set(frame, 7);
    const view = big.subarray(7, 7 + frame.byteLength);
    expect(view.byteOffset).toBe(7);
    expect(decodeFrame(view)).toEqual({ ok: true, value: { header, payload } });
  });

  it('decodes a view whose underlying buffer has a non-multiple-of-4 offset and trailing garbage', () => {
    const frame = encodeFrame(header, payload);
    const big = new Uint8Array(frame.byteLength + 13).fill(0x7b); // '{'
    big.set(frame, 3);
    expect(decodeFrame(big.subarray(3, 3 + frame.byteLength))).toEqual({ ok: true, value: { header, payload } });
  });

  it('also accepts a Node Buffer (as `ws` delivers binary messages)', () => {
    const frame = encodeFrame(header, payload);
    const buffer = Buffer.concat([Buffer.alloc(5), Buffer.from(frame)]).subarray(5);
    expect(decodeFrame(buffer)).toEqual({ ok: true, value: { header, payload: expect.any(Uint8Array) } });
    const decoded = decodeFrame(buffer);
    expect(decoded.ok && Array.from(decoded.value.payload)).toEqual(Array.from(payload));
  });
});

describe('decodeFrame on malformed input', () => {
  it.each([0, 1, 2, 3])('rejects %i bytes as too_short', (n) => {
    expectInvalidFrame(decodeFrame(new Uint8Array(n)), 'too_short');
  });

  it('rejects a too-short subarray even when the underlying buffer is bigger', () => {
    const big = encodeFrame({ type: 'arrow', queryId: 'q1' }, new Uint8Array(8));
    expectInvalidFrame(decodeFrame(big.subarray(2, 5)), 'too_short');
  });

  it('rejects a zero header length as empty_header', () => {
    expectInvalidFrame(decodeFrame(new Uint8Array(4)), 'empty_header');
    expectInvalidFrame(decodeFrame(rawFrame(new Uint8Array(), utf8.encode('{"type":"arrow"}'), 0)), 'empty_header');
  });

  it.each([
    ['one byte past the end', 1],
    ['far past the end', 1_000_000],
    ['0xFFFFFFFF', 0xffffffff],
  ])('rejects a header length %s as header_out_of_bounds', (_name, extra) => {
    const header = utf8.encode('{"type":"arrow","queryId":"q1"}');
    const length = extra === 0xffffffff ? 0xffffffff : header.byteLength + extra;
    expectInvalidFrame(decodeFrame(rawFrame(header, new Uint8Array(), length)), 'header_out_of_bounds');
  });

  it('rejects a length prefix with nothing after it as header_out_of_bounds', () => {
    expectInvalidFrame(decodeFrame(Uint8Array.from([0, 0, 0, 1])), 'header_out_of_bounds');
    expectInvalidFrame(decodeFrame(Uint8Array.from([0xff, 0xff, 0xff, 0xff])), 'header_out_of_bounds');
  });

  it('checks bounds against the view, not the underlying buffer', () => {
    const frame = encodeFrame({ type: 'arrow', queryId: 'q1' }, new Uint8Array(100));
    const headerEnd = FRAME_PREFIX_BYTES + new DataView(frame.buffer).getUint32(0, false);
    expectInvalidFrame(decodeFrame(frame.subarray(0, headerEnd - 1)), 'header_out_of_bounds');
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated 2-byte sequence', [0x7b, 0xc3]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['0xFF', [0x7b, 0xff, 0x7d]],
  ])('rejects a header with %s as header_not_utf8', (_name, bytes) => {
    expectInvalidFrame(decodeFrame(rawFrame(Uint8Array.from(bytes))), 'header_not_utf8');
  });

  it.each(['{', '{"type":"arrow",}', 'arrow', '{"type":"arrow"} trailing', "{'type':'arrow'}", ' '])(
    'rejects header text %j as header_not_json',
    (text) => {
      expectInvalidFrame(decodeFrame(rawFrame(utf8.encode(text))), 'header_not_json');
    },
  );

  it.each(['[]', '[{"type":"arrow"}]', '42', 'null', '"arrow"', 'true'])(
    'rejects header JSON %s as header_not_object',
    (text) => {
      expectInvalidFrame(decodeFrame(rawFrame(utf8.encode(text), Uint8Array.from([1, 2, 3]))), 'header_not_object');
    },
  );

  it('never throws on random bytes', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(next() % 40);
      for (let j = 0; j < bytes.length; j++) bytes[j] = next() & 0xff;
      // Make small header lengths common so that later stages are reached too.
      if (bytes.length >= 4 && i % 2 === 0) new DataView(bytes.buffer).setUint32(0, next() % bytes.length, false);
      const result = decodeFrame(bytes);
      if (!result.ok) expect(result.error.code).toBe('invalid_frame');
    }
  });
});

describe('alignedArrowPayload', () => {
  it('returns an 8-byte-aligned payload itself and copies a misaligned one', () => {
    const buffer = new Uint8Array(32).map((_, i) => i);
    const aligned = buffer.subarray(8, 16);
    expect(alignedArrowPayload(aligned)).toBe(aligned);
    const misaligned = buffer.subarray(5, 13);
    const copy = alignedArrowPayload(misaligned);
    expect(copy).not.toBe(misaligned);
    expect(copy.byteOffset % 8).toBe(0);
    expect([...copy]).toEqual([...misaligned]);
  });
});

describe('alignedArrowPayload within its frame', () => {
  const frameWith = (payloadAt: number, payload: number[]) => {
    const buffer = new ArrayBuffer(64);
    const frame = new Uint8Array(buffer, 0, payloadAt + payload.length);
    frame.fill(0xee, 0, payloadAt);
    frame.set(payload, payloadAt);
    return { frame, payload: frame.subarray(payloadAt) };
  };

  it.each([8, 9, 11, 15, 16, 21])('moves a payload at offset %i to an 8-byte boundary with its bytes intact', (at) => {
    const bytes = Array.from({ length: 20 }, (_, i) => i + 1);
    const { frame, payload } = frameWith(at, bytes);
    const aligned = alignedArrowPayload(payload, frame);
    expect(aligned.byteOffset % 8).toBe(0);
    expect(aligned.byteOffset).toBe(at - (at % 8));
    expect(aligned.buffer).toBe(frame.buffer);
    expect([...aligned]).toEqual(bytes);
  });

  it('copies a payload when there is no room before it in the frame, or it is not in the frame', () => {
    const buffer = new ArrayBuffer(32);
    const frame = new Uint8Array(buffer, 3, 10);
    const payload = frame.subarray(0);
    payload.set([1, 2, 3]);
    const copied = alignedArrowPayload(payload, frame);
    expect(copied.buffer).not.toBe(buffer);
    expect([...copied]).toEqual([...payload]);
    const other = new Uint8Array(new ArrayBuffer(16), 5, 4);
    const otherCopy = alignedArrowPayload(other, frame);
    expect(otherCopy.byteOffset % 8).toBe(0);
    expect(otherCopy.buffer).not.toBe(other.buffer);
  });
});
