// Publish/subscribe between two clients: the handler gets channel and payload; subscribe/unsubscribe at run time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckwireClient, InvalidRequestError, connect } from '../src/node.js';
import { useDuckwire } from './support/server.js';

const duckwire = useDuckwire();
let alice: DuckwireClient;
let bob: DuckwireClient;
const heard: Array<[string, unknown]> = [];
beforeAll(async () => {
  alice = await connect(duckwire.url);
  bob = await connect(duckwire.url, { onNotification: (channel, payload) => heard.push([channel, payload]) });
});
afterAll(() => {
  alice?.close();
  bob?.close();
});

describe('publish/subscribe', () => {
  it('delivers notifications with their channel, until unsubscribed', async () => {
    await bob.subscribe('table:orders');
    expect(bob.channels).toEqual(['table:orders']);
    const viaHandler: Array<[string, unknown]> = [];
    const stop = bob.onNotification((channel, payload) => viaHandler.push([channel, payload]));
    await alice.notify('table:orders', { op: 'update', id: 7 });
    await alice.notify('table:other', 'not for bob');
    await expect.poll(() => heard).toEqual([['table:orders', { op: 'update', id: 7 }]]);
    expect(viaHandler).toEqual(heard);
    stop();

    await bob.unsubscribe('table:orders');
    expect(bob.channels).toEqual([]);
    await alice.notify('table:orders', { op: 'after' });
    // bob's own notify is a barrier: anything alice sent before it has reached bob by the time it comes back.
    await bob.notify('barrier', null);
    expect(heard).toEqual([
      ['table:orders', { op: 'update', id: 7 }],
      ['barrier', null],
    ]);
  });

  it('refuses an invalid subscribe before sending it (the protocol encoder checks the schema), code as the server’s', async () => {
    const error = await alice.subscribe('x'.repeat(300)).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.code).toBe('invalid_message');
    expect(error.message).toMatch(/channel/);
    expect(alice.channels).not.toContain('x'.repeat(300));
    // The connection is still fine.
    await alice.notify('ok');
  });
});
