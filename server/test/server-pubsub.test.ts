import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;

beforeAll(async () => {
  ({ server } = await startTestServer());
});
afterAll(async () => {
  await server.close();
});

const subscribe = async (client: TestClient, channel: string) => {
  client.send({ type: 'subscribe', channel });
  expect(await client.waitFor((r) => r.type === 'subscribed')).toMatchObject({ type: 'subscribed', channel });
};

describe('publish / subscribe', () => {
  it('fans a notify out to three subscribers; the sender gets one echo, then notifyAck', async () => {
    const subscribers = await Promise.all([1, 2, 3].map(() => TestClient.connect(server.url)));
    for (const client of subscribers) await subscribe(client, 'table:orders');
    const sender = await TestClient.connect(server.url);
    const outsider = await TestClient.connect(server.url);
    await subscribe(outsider, 'table:other');

    sender.send({ type: 'notify', channel: 'table:orders', payload: { op: 'update' } });
    const expected = { type: 'notify', channel: 'table:orders', payload: { op: 'update' } };
    for (const client of subscribers) expect(await client.waitFor((r) => r.type === 'notify')).toMatchObject(expected);
    expect(await sender.waitFor((r) => r.type === 'notify' || r.type === 'notifyAck')).toMatchObject(expected);
    expect(await sender.waitFor((r) => r.type === 'notifyAck')).toMatchObject({ type: 'notifyAck', channel: 'table:orders' });
    // a round trip later, nobody got more than one copy and the outsider none
    await outsider.rows('select 1 as x');
    for (const client of [...subscribers, sender]) await client.rows('select 1 as x');
    for (const client of [...subscribers, sender]) expect(client.replies.filter((r) => r.type === 'notify')).toHaveLength(1);
    expect(outsider.replies.filter((r) => r.type === 'notify')).toHaveLength(0);
    for (const client of [...subscribers, sender, outsider]) await client.close();
  });

  it('sends a subscribed sender exactly one copy', async () => {
    const client = await TestClient.connect(server.url);
    await subscribe(client, 'self');
    client.send({ type: 'notify', channel: 'self', payload: 1 });
    await client.waitFor((r) => r.type === 'notifyAck');
    expect(client.replies.filter((r) => r.type === 'notify')).toHaveLength(1);
    await client.close();
  });

  it('stops delivering after unsubscribe', async () => {
    const listener = await TestClient.connect(server.url);
    const sender = await TestClient.connect(server.url);
    await subscribe(listener, 'c');
    listener.send({ type: 'unsubscribe', channel: 'c' });
    expect(await listener.waitFor((r) => r.type === 'unsubscribed')).toMatchObject({ type: 'unsubscribed', channel: 'c' });
    sender.send({ type: 'notify', channel: 'c', payload: 'x' });
    await sender.waitFor((r) => r.type === 'notifyAck');
    await listener.rows('select 1 as x');
    expect(listener.replies.filter((r) => r.type === 'notify')).toHaveLength(0);
    await listener.close();
    await sender.close();
  });

  it('refuses subscribe and notify without a channel', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'subscribe' });
    expect(await client.waitFor((r) => r.type === 'error')).toMatchObject({ code: 'invalid_message' });
    client.send({ type: 'notify', channel: '', payload: 1 });
    expect(await client.waitFor((r) => r.type === 'error')).toMatchObject({ code: 'invalid_message' });
    await client.close();
  });

  it('forgets the subscriptions of a closed socket', async () => {
    const gone = await TestClient.connect(server.url);
    await subscribe(gone, 'bye');
    await gone.close();
    const sender = await TestClient.connect(server.url);
    sender.send({ type: 'notify', channel: 'bye', payload: null });
    expect(await sender.waitFor((r) => r.type === 'notifyAck')).toMatchObject({ channel: 'bye' });
    await sender.close();
  });
});
