// STUB — owned by the upload work; replace wholesale.
/** Parse `t`, `s.t`, `"my table"`, `"db"."main"."t"` into 1 to 3 identifier parts. Throws InvalidTableNameError. */
export function parseQualifiedName(_name: string): string[] {
  throw new Error('not implemented');
}

/** Quote one identifier for SQL: `"` around it, inner `"` doubled. */
export function quoteIdentifier(part: string): string {
  return `"${part.replaceAll('"', '""')}"`;
}

/** Quote each part and join with dots. */
export function quoteQualifiedName(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join('.');
}
