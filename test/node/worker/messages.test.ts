import { expect, test } from 'vitest';
import type { ReplyMessage } from '../../../sdk/protocol.ts';
import { handleMessage, validateCommand, type WorkerControls } from '../../../sw/messages.ts';

const calls: string[] = [];
const controls = new Proxy({} as WorkerControls, {
  get: (_target, op: string) => (command: unknown) => {
    calls.push(op);
    return Promise.resolve({ op, command });
  },
});

async function send(data: unknown): Promise<ReplyMessage | undefined> {
  const channel = new MessageChannel();
  const reply = new Promise<ReplyMessage>((resolve) => (channel.port1.onmessage = (e: MessageEvent<ReplyMessage>) => resolve(e.data)));
  await handleMessage({ data, ports: [channel.port2] }, controls);
  const result = await Promise.race([reply, new Promise<undefined>((resolve) => setTimeout(resolve, 50))]);
  channel.port1.close();
  return result;
}

test('a valid command is dispatched and answered on its port', async () => {
  const reply = await send({ tag: 'tiercache/1', id: 'a', command: { op: 'invalidateByTag', tags: ['x'] } });
  expect(reply).toMatchObject({ ok: true, id: 'a' });
  expect(calls).toContain('invalidateByTag');
});

test('foreign messages are ignored without a reply', async () => {
  expect(await send({ hello: 'world' })).toBeUndefined();
  expect(await send(null)).toBeUndefined();
});

test.each([
  [{ op: 'nope' }],
  [{ op: 'invalidateByTag', tags: 'x' }],
  [{ op: 'invalidateByTag', tags: ['a,b'] }],
  [{ op: 'invalidateByTag', tags: ['x'.repeat(257)] }],
  [{ op: 'dangerouslyDeleteByTag', tags: ['a'], revalidationDeadlineSeconds: Number.NaN }],
  [{ op: 'setClockOffset', ms: Infinity }],
  [{ op: 'setVisitorLocation', location: { country: 'DE', planet: 'earth' } }],
  [{ op: 'setVisitorLocation', location: { country: 'Ü' } }],
  [{ op: 'injectStorageFault', failNext: -1 }],
  [{ op: 'injectStorageFault', failNext: 1, operations: ['drop-table'] }],
])('malformed %j → invalid-message, nothing dispatched', async (command) => {
  const before = calls.length;
  const reply = await send({ tag: 'tiercache/1', id: 'b', command });
  expect(reply).toMatchObject({ ok: false, id: 'b', error: { code: 'invalid-message' } });
  expect(calls.length).toBe(before);
  expect(validateCommand(command)).toBeTypeOf('string');
});

test('a city may be any text (the edge percent-encodes it, R126)', () => {
  expect(validateCommand({ op: 'setVisitorLocation', location: { city: 'Zürich' } })).toBeUndefined();
});
