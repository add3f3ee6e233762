import { describe, expect, it } from 'vitest';
import { ErrorCode, MAX_JSON_DEPTH, exceedsJsonDepth, parseClientMessage } from '../src/index.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const notify = (payload: string) => `{"type":"notify","channel":"c","payload":${payload}}`;

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, the outermost being depth 1', () => {
    expect(exceedsJsonDepth('{}', 0)).toBe(true);
    expect(exceedsJsonDepth('{"a":[1]}', 2)).toBe(false);
    expect(exceedsJsonDepth('{"a":[1]}', 1)).toBe(true);
    expect(exceedsJsonDepth(nested(64), 64)).toBe(false);
    expect(exceedsJsonDepth(nested(65), 64)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[[[[[[[{{{{{{{{', b: 'say \\"[[[[[[[[[[[\\"', c: [[1]] });
    expect(exceedsJsonDepth(text, 3)).toBe(false);
    expect(exceedsJsonDepth(text, 2)).toBe(true);
  });

  it('measures sibling containers separately', () => {
    expect(exceedsJsonDepth(`[${Array(100).fill('[1]').join(',')}]`, 2)).toBe(false);
  });
});

describe('parseClientMessage depth limit', () => {
  it('refuses a notify payload nested 5,000 levels as invalid_message naming the limit', () => {
    const result = parseClientMessage(notify(nested(5000)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(ErrorCode.InvalidMessage);
    expect(result.error.message).toContain(`${MAX_JSON_DEPTH} levels`);
  });

  it('accepts a message at the limit and honours a configured limit (0 = none)', () => {
    // The message object is level 1, so the payload may nest MAX_JSON_DEPTH - 1 levels.
    expect(parseClientMessage(notify(nested(MAX_JSON_DEPTH - 1))).ok).toBe(true);
    expect(parseClientMessage(notify(nested(MAX_JSON_DEPTH))).ok).toBe(false);
    expect(parseClientMessage(notify(nested(10)), { maxJsonDepth: 5 }).ok).toBe(false);
    expect(parseClientMessage(notify(nested(500)), { maxJsonDepth: 0 }).ok).toBe(true);
  });
});
