/**
 * The awaitable handle SQLRooms' `DuckDbConnector` methods return: a promise with `result`, `cancel()` and an
 * `AbortSignal`, linked to an optional external signal.
 */

/** A running query: await it (or `result`), cancel it, or watch its `signal`. Same shape as SQLRooms' `QueryHandle`. */
export type QueryHandle<T = unknown> = PromiseLike<T> & {
  /** Resolves with the result. */
  result: Promise<T>;
  /** Cancel the query: the server gets `cancel`, the handle rejects with an `AbortError`. */
  cancel: () => Promise<void>;
  /** Aborted when the query is cancelled (by `cancel()` or the external signal). */
  signal: AbortSignal;
  catch: Promise<T>['catch'];
  finally: Promise<T>['finally'];
};

/** Start `run` with a signal that `cancel()` and `external` abort; wrap it as a {@link QueryHandle}. */
export function createQueryHandle<T>(run: (signal: AbortSignal) => Promise<T>, external?: AbortSignal): QueryHandle<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (external?.aborted) controller.abort();
  else external?.addEventListener('abort', abort, { once: true });
  const result = run(controller.signal).finally(() => external?.removeEventListener('abort', abort));
  return {
    result,
    signal: controller.signal,
    cancel: async () => controller.abort(),
    // biome-ignore lint/suspicious/noThenProperty: the handle is awaitable by design (SQLRooms' QueryHandle).
    then: result.then.bind(result),
    catch: result.catch.bind(result),
    finally: result.finally.bind(result),
  };
}
