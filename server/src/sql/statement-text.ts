/**
 * What a client's SQL text may do, read from the text alone (no parser): whether it may hold
 * several statements or open an explicit transaction. Both err on the side of "yes", so that the
 * callers' precautions (no conflict re-run, a ROLLBACK before the connection goes back to the
 * pool, invalidating the result cache) are taken whenever they might be needed.
 */

/**
 * Whether SQL text may hold more than one statement. Errs on the side of "yes": a semicolon
 * followed by anything but whitespace or comments-free tail counts, even inside a string literal.
 */
export function mayHoldSeveralStatements(sql: string): boolean {
  return /;\s*\S/.test(sql);
}

/** Whether SQL text may open an explicit transaction. */
export function mayOpenTransaction(sql: string): boolean {
  return (
    /^\s*(begin|start\s+transaction)\b/i.test(sql) ||
    (mayHoldSeveralStatements(sql) && /\b(begin|start\s+transaction)\b/i.test(sql))
  );
}
