/**
 * Transparent re-runs of statements that lost a DuckDB transaction conflict (e.g. an UPDATE racing
 * an ALTER of the same table, or concurrent ALTERs). DuckDB rolls the losing statement back whole,
 * so re-running it is safe when it ran alone in autocommit mode: a single statement, not inside
 * an explicit transaction. Multi-statement SQL is never re-run (earlier statements may have
 * committed already).
 */
import { mayHoldSeveralStatements, mayOpenTransaction } from '../sql/statement-text.js';

const CONFLICT = /TransactionContext Error:.*(conflict|another transaction has (altered|modified|dropped))/i;

/** Whether a DuckDB error is a transaction conflict that a re-run may resolve. */
export function isConflictError(error: unknown): boolean {
  return error instanceof Error && CONFLICT.test(error.message);
}

/** Whether a failed statement may be re-run after a conflict. */
export function isRetrySafe(sql: string): boolean {
  return !mayHoldSeveralStatements(sql) && !mayOpenTransaction(sql);
}

/** Settings of {@link withConflictRetry}. */
export interface RetryPolicy {
  /** Re-runs after the first attempt. */
  readonly retries: number;
  /** First back-off in ms; doubled each time, with ±50% jitter. */
  readonly baseDelayMs?: number;
  /** Whether to stop early (e.g. the query was cancelled). */
  readonly shouldStop?: () => boolean;
  /** Called before each re-run. */
  readonly onRetry?: (attempt: number, error: Error) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `attempt`, re-running it on transaction conflicts as {@link RetryPolicy} allows. */
export async function withConflictRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const base = policy.baseDelayMs ?? 5;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= policy.retries || !isConflictError(error) || policy.shouldStop?.()) throw error;
      policy.onRetry?.(tries + 1, error as Error);
      await sleep(base * 2 ** tries * (0.5 + Math.random()));
      if (policy.shouldStop?.()) throw error;
    }
  }
}
