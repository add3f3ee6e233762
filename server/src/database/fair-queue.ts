/**
 * A wait line that serves its owners in turn: one item of each owner with items waiting, round
 * and round, each owner's own items first come, first served. The connection pool queues its
 * waiting queries here by socket, so that one socket's backlog delays another socket's query by
 * at most one turn per waiting socket, not by the whole backlog.
 */
export class FairQueue<T> {
  /** Waiting items per owner; the Map's order is the turn order (an owner served goes to the back). */
  readonly #lines = new Map<unknown, T[]>();
  #size = 0;

  /** Items waiting, all owners together. */
  get size(): number {
    return this.#size;
  }

  /** Queue `item` at the end of its owner's line (owners without a line join the round last). */
  push(owner: unknown, item: T): void {
    const line = this.#lines.get(owner);
    if (line) line.push(item);
    else this.#lines.set(owner, [item]);
    this.#size++;
  }

  /** Take the first item of the owner whose turn it is; that owner goes to the back of the round. */
  shift(): T | undefined {
    const next = this.#lines.entries().next();
    if (next.done) return undefined;
    const [owner, line] = next.value;
    const item = line.shift() as T;
    this.#lines.delete(owner);
    if (line.length > 0) this.#lines.set(owner, line);
    this.#size--;
    return item;
  }

  /** Remove a waiting item (e.g. its wait was cancelled). Returns whether it was there. */
  remove(owner: unknown, item: T): boolean {
    const line = this.#lines.get(owner);
    const index = line ? line.indexOf(item) : -1;
    if (!line || index < 0) return false;
    line.splice(index, 1);
    if (line.length === 0) this.#lines.delete(owner);
    this.#size--;
    return true;
  }

  /** Remove and return every waiting item. */
  drain(): T[] {
    const items = [...this.#lines.values()].flat();
    this.#lines.clear();
    this.#size = 0;
    return items;
  }
}
