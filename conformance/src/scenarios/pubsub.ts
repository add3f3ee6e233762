/** Publish / subscribe: protocol.md#publish--subscribe. */
import { MUST, close, error, expectNext, expectText, open, scenario, send, silence } from './dsl.js';
import type { Scenario, Step } from '../scenario/schema.js';

const CH = '{{ns}}:orders';
const subscribe = (conn: string, channel = CH): Step[] => [
  send({ type: 'subscribe', channel }, conn),
  expectNext({ type: 'subscribed', channel }, conn),
];
const notify = (conn: string, payload: unknown, channel = CH): Step[] => [
  send(payload === undefined ? { type: 'notify', channel } : { type: 'notify', channel, payload }, conn),
  expectNext(
    payload === undefined
      ? { type: 'notify', channel, payload: { $absent: true } }
      : { type: 'notify', channel, payload: { $exact: payload } },
    conn,
  ),
  expectNext({ type: 'notifyAck', channel }, conn),
];
const receives = (conn: string, payload: unknown, channel = CH): Step =>
  expectText(
    { type: 'notify', channel, payload: payload === undefined ? { $absent: true } : { $exact: payload } },
    conn,
  );

const payloadRoundTrip = (id: string, title: string, payload: unknown): Scenario =>
  scenario({
    id: `pubsub.payload.${id}`,
    title: `A notify payload (${title}) reaches subscribers unchanged`,
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [open('a'), open('b'), ...subscribe('b'), ...notify('a', payload), receives('b', payload)],
  });

export const pubsubScenarios: Scenario[] = [
  scenario({
    id: 'pubsub.subscribe',
    title: 'subscribe is answered subscribed with the channel',
    spec: 'protocol.md#subscribe',
    level: MUST,
    steps: [open(), ...subscribe('a')],
  }),
  scenario({
    id: 'pubsub.subscribe-twice',
    title: 'Subscribing twice is answered each time, and the notify still arrives once',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      ...subscribe('b'),
      ...subscribe('b'),
      ...notify('a', { n: 1 }),
      receives('b', { n: 1 }),
    ],
  }),
  scenario({
    id: 'pubsub.sender-copy-unsubscribed',
    title: 'The publisher gets exactly one copy of its notify, then notifyAck, even when not subscribed',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [open(), ...notify('a', { op: 'update' })],
  }),
  scenario({
    id: 'pubsub.sender-copy-subscribed',
    title: 'A subscribed publisher gets exactly one copy of its notify, then notifyAck',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [open(), ...subscribe('a'), ...notify('a', { op: 'update' })],
  }),
  scenario({
    id: 'pubsub.fan-out',
    title: 'A notify reaches every other subscriber of the channel, once each',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      open('c'),
      open('d'),
      ...subscribe('b'),
      ...subscribe('c'),
      ...subscribe('d'),
      ...notify('a', [1, 'two']),
      receives('b', [1, 'two']),
      receives('c', [1, 'two']),
      receives('d', [1, 'two']),
    ],
  }),
  scenario({
    id: 'pubsub.isolation',
    title: 'A notify does not reach connections subscribed to other channels, or to none',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      open('c'),
      ...subscribe('b', '{{ns}}:other'),
      ...notify('a', 'hello'),
      silence(150, 'b'),
      silence(1, 'c'),
    ],
  }),
  scenario({
    id: 'pubsub.unsubscribe',
    title: 'After unsubscribed, notifies of the channel no longer arrive (duckwire addition)',
    spec: 'protocol.md#unsubscribe',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      ...subscribe('b'),
      send({ type: 'unsubscribe', channel: CH }, 'b'),
      expectNext({ type: 'unsubscribed', channel: CH }, 'b'),
      ...notify('a', 1),
      silence(150, 'b'),
    ],
  }),
  scenario({
    id: 'pubsub.unsubscribe-not-subscribed',
    title: 'unsubscribe of a channel never subscribed is answered unsubscribed',
    spec: 'protocol.md#unsubscribe',
    level: MUST,
    steps: [open(), send({ type: 'unsubscribe', channel: CH }), expectNext({ type: 'unsubscribed', channel: CH })],
  }),
  scenario({
    id: 'pubsub.closed-connection-unsubscribed',
    title: 'A closed connection is unsubscribed; publishing still works',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      open('c'),
      ...subscribe('b'),
      ...subscribe('c'),
      close('b'),
      ...notify('a', 2),
      receives('c', 2),
    ],
  }),
  scenario({
    id: 'pubsub.subscribed-is-effective',
    title: 'Once subscribed is sent, notifies published right after it arrive',
    spec: 'protocol.md#ordering-guarantees',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      send({ type: 'subscribe', channel: CH }, 'b'),
      expectNext({ type: 'subscribed', channel: CH }, 'b'),
      send({ type: 'notify', channel: CH, payload: 'now' }, 'a'),
      receives('b', 'now'),
      expectText({ type: 'notify', channel: CH }, 'a'),
      expectText({ type: 'notifyAck', channel: CH }, 'a'),
    ],
  }),
  scenario({
    id: 'pubsub.ordered-replies',
    title: 'Requests that answer at once are answered in the order received',
    spec: 'protocol.md#ordering-guarantees',
    level: MUST,
    steps: [
      open(),
      send({ type: 'subscribe', channel: `${CH}1` }),
      send({ type: 'cancel', queryId: 'none' }),
      send({ type: 'unsubscribe', channel: `${CH}1` }),
      send({ type: 'subscribe', channel: `${CH}2` }),
      expectNext({ type: 'subscribed', channel: `${CH}1` }),
      expectNext({ type: 'cancelAck', queryId: 'none', cancelled: false }),
      expectNext({ type: 'unsubscribed', channel: `${CH}1` }),
      expectNext({ type: 'subscribed', channel: `${CH}2` }),
    ],
  }),
  scenario({
    id: 'pubsub.channel-max-length',
    title: 'A channel name of 256 characters works',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [open(), ...subscribe('a', `{{ns}}${'c'.repeat(256 - 11)}`)],
  }),
  scenario({
    id: 'pubsub.missing-channel',
    title: 'notify without channel is invalid_message',
    spec: 'protocol.md#publish--subscribe',
    level: MUST,
    steps: [open(), send({ type: 'notify', payload: 1 }), expectText(error('invalid_message'))],
  }),
  payloadRoundTrip('object', 'nested object', {
    op: 'update',
    table: 'orders',
    ids: [1, 2, 3],
    meta: { by: 'ü', at: null },
  }),
  payloadRoundTrip('absent', 'absent stays absent', undefined),
  payloadRoundTrip('null', 'null', null),
  payloadRoundTrip('string', 'string with escapes', 'line\nbreak "quoted" \\ ✓ \u0000'),
  payloadRoundTrip('number', 'number', 1.5),
  payloadRoundTrip('max-safe-integer', 'the largest safe integer', 9007199254740991),
  payloadRoundTrip('false', 'false', false),
  payloadRoundTrip('empty-array', 'empty array', []),
];
