import type { ServerMessageText } from '@duckwire/protocol';

/** Anything that can receive a published message. */
export interface Subscriber {
  /** Deliver an already-serialised `notify` message. */
  deliver(text: ServerMessageText): void;
}

/**
 * Who listens to which channel. Channels exist while someone subscribes to them; every name is
 * a client channel — the server keeps no internal channels that clients could reach.
 */
export class ChannelRegistry {
  readonly #channels = new Map<string, Set<Subscriber>>();

  /** Add `subscriber` to `channel` (idempotent). */
  subscribe(channel: string, subscriber: Subscriber): void {
    let members = this.#channels.get(channel);
    if (!members) {
      members = new Set();
      this.#channels.set(channel, members);
    }
    members.add(subscriber);
  }

  /** Remove `subscriber` from `channel` (idempotent). */
  unsubscribe(channel: string, subscriber: Subscriber): void {
    const members = this.#channels.get(channel);
    if (!members) return;
    members.delete(subscriber);
    if (members.size === 0) this.#channels.delete(channel);
  }

  /** Deliver `text` to every subscriber of `channel` but `except`. Returns how many received it. */
  publish(channel: string, text: ServerMessageText, except?: Subscriber): number {
    let delivered = 0;
    for (const member of this.#channels.get(channel) ?? []) {
      if (member === except) continue;
      member.deliver(text);
      delivered++;
    }
    return delivered;
  }

  /** Number of subscribers of `channel`. */
  subscriberCount(channel: string): number {
    return this.#channels.get(channel)?.size ?? 0;
  }
}
