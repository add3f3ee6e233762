// The server listens before DuckDB is open (so /healthz and /readyz answer during a slow start);
// this is the moment it becomes able to serve, which early WebSocket upgrades wait for.

/** Whether the server has finished starting, and a bounded way to wait for it. */
export class Readiness {
  #state: 'starting' | 'ready' | 'failed' = 'starting';
  readonly #waiters = new Set<(ready: boolean) => void>();

  /** DuckDB is open and sessions can be served. */
  get ready(): boolean {
    return this.#state === 'ready';
  }

  /** Start-up finished: wake every waiter with `true`. */
  markReady(): void {
    this.#settle('ready');
  }

  /** Start-up failed: wake every waiter with `false`. */
  markFailed(): void {
    this.#settle('failed');
  }

  /** Resolves `true` once ready, `false` when start-up failed or `ms` passed first. */
  wait(ms: number): Promise<boolean> {
    if (this.#state !== 'starting') return Promise.resolve(this.ready);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve(ready);
      };
      const timer = setTimeout(() => done(false), ms);
      this.#waiters.add(done);
    });
  }

  #settle(state: 'ready' | 'failed'): void {
    if (this.#state !== 'starting') return;
    this.#state = state;
    for (const waiter of [...this.#waiters]) waiter(state === 'ready');
  }
}
