// The table-name rules shared by server and client: parse without throwing, quote so the result is always identifiers.
import { describe, expect, it } from 'vitest';
import { ErrorCode, parseTableName, quoteIdentifier, quoteQualifiedName } from '../src/index.js';

describe('parseTableName', () => {
  it('splits and unquotes 1 to 3 parts', () => {
    expect(parseTableName('"db"."main"."t"')).toEqual({ ok: true, value: ['db', 'main', 't'] });
    expect(parseTableName('s."my table"')).toEqual({ ok: true, value: ['s', 'my table'] });
  });

  it('returns an invalid_table_name error instead of throwing', () => {
    const parsed = parseTableName('a.b.c.d');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe(ErrorCode.InvalidTableName);
      expect(parsed.error.message).toMatch(/more than 3 parts/);
    }
    expect(parseTableName('t; drop table x').ok).toBe(false);
    expect(parseTableName(42 as unknown as string).ok).toBe(false);
  });
});

describe('quoteIdentifier / quoteQualifiedName', () => {
  it('double inner quotes so every part stays one identifier', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteQualifiedName(['s', 'x"; drop table t; --'])).toBe('"s"."x""; drop table t; --"');
  });
});
