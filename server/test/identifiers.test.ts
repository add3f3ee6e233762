import { describe, expect, it } from 'vitest';
import { InvalidTableNameError } from '../src/errors.js';
import { parseQualifiedName, quoteIdentifier, quoteQualifiedName } from '../src/sql/identifiers.js';

describe('parseQualifiedName', () => {
  it.each([
    ['t', ['t']],
    ['my_table', ['my_table']],
    ['_t1', ['_t1']],
    ['MixedCase', ['MixedCase']],
    ['café', ['café']],
    ['s.t', ['s', 't']],
    ['db.s.t', ['db', 's', 't']],
    ['"my table"', ['my table']],
    ['"db"."main"."t"', ['db', 'main', 't']],
    ['"a""b"', ['a"b']],
    ['""""', ['"']],
    ['"a"".""b"', ['a"."b']],
    ['db."my schema".t', ['db', 'my schema', 't']],
    ['"1st"', ['1st']],
    ['"t; drop table x"', ['t; drop table x']],
    ['"select"', ['select']],
    ['select', ['select']],
    ['"x.y"', ['x.y']],
    ['"  spaced  "', ['  spaced  ']],
    ['"ünï ☃ 🦆"', ['ünï ☃ 🦆']],
    ['  t  ', ['t']],
    ['s . t', ['s', 't']],
    [' "a" . "b" ', ['a', 'b']],
    ['"a".b', ['a', 'b']],
  ])('parses %j', (input, expected) => {
    expect(parseQualifiedName(input)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['.', /empty identifier/],
    ['.t', /empty identifier at position 1/],
    ['t.', /ends with "\."/],
    ['s..t', /empty identifier at position 3/],
    ['a.b.c.d', /more than 3 parts/],
    ['"a"."b"."c"."d"', /more than 3 parts/],
    ['"unterminated', /unterminated quoted identifier starting at position 1/],
    ['s."t', /unterminated quoted identifier starting at position 3/],
    ['"a""', /unterminated/],
    ['""', /empty quoted identifier/],
    ['s.""', /empty quoted identifier/],
    ['1t', /not a plain identifier/],
    ['my table', /unexpected "t"/],
    ['t; drop table x', /not a plain identifier/],
    ['t--', /not a plain identifier/],
    ['a-b', /not a plain identifier/],
    ['"a"b', /unexpected "b" at position 4/],
    ['a"b"', /unexpected "\\"" at position 2/],
    ['t\u0000', /control character/],
    ['"t\u0000"', /control character/],
    ['t\n', /control character/],
    ['s.\tt', /control character/],
    ['"a\u007f"', /control character/],
    ['"\ud800"', /unpaired UTF-16 surrogate/],
  ])('refuses %j', (input, message) => {
    expect(() => parseQualifiedName(input)).toThrow(InvalidTableNameError);
    expect(() => parseQualifiedName(input)).toThrow(message);
  });

  it('refuses a non-string', () => {
    expect(() => parseQualifiedName(42 as unknown as string)).toThrow(InvalidTableNameError);
  });

  it('names the offending input in the message', () => {
    expect(() => parseQualifiedName('a.b.c.d')).toThrow('invalid table name "a.b.c.d"');
  });

  it('shortens very long input in messages', () => {
    let message = '';
    try {
      parseQualifiedName(`${'x'.repeat(500)}-`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.length).toBeLessThan(300);
  });

  it('round-trips through quoteQualifiedName', () => {
    for (const parts of [['t'], ['s', 't'], ['db', 'main', 'my table'], ['a"b', '"', 'x.y']]) {
      expect(parseQualifiedName(quoteQualifiedName(parts))).toEqual(parts);
    }
  });
});

describe('quoteIdentifier', () => {
  it('wraps in double quotes and doubles inner quotes', () => {
    expect(quoteIdentifier('t')).toBe('"t"');
    expect(quoteIdentifier('my table')).toBe('"my table"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('"; drop table x; --')).toBe('"""; drop table x; --"');
  });
});

describe('quoteQualifiedName', () => {
  it('quotes every part and joins with dots', () => {
    expect(quoteQualifiedName(['db', 'main', 't'])).toBe('"db"."main"."t"');
    expect(quoteQualifiedName(['x.y'])).toBe('"x.y"');
  });
});
