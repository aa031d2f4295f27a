import type {
  CommandMessage,
  ProtocolTag,
  ReplyMessage,
  VisitorLocation,
  WorkerCommand,
  WorkerResults,
} from '../sdk/protocol.ts';

import { validateFeedCommand } from './feed/validate-feed-command.ts';
import { checkFaultRules } from './store/index.ts';

const TAG: ProtocolTag = 'tiercache/1';

/** What the worker can do on the page's behalf; messages.ts only validates and dispatches. */
export type WorkerControls = {
  [Op in WorkerCommand['op']]: (command: Extract<WorkerCommand, { op: Op }>) => Promise<WorkerResults[Op]>;
};

/** The fields of a message event this module reads (ExtendableMessageEvent in the worker). */
export interface IncomingMessage {
  data: unknown;
  ports: readonly MessagePort[];
}

/**
 * Handles one page → worker message. Foreign messages (no protocol tag) are ignored. A malformed
 * command changes nothing and gets a typed error reply (`invalid-message`). Control failures are
 * never surfaced as errors: the controls degrade and report through onError themselves.
 */
export async function handleMessage(message: IncomingMessage, controls: WorkerControls): Promise<void> {
  const data = message.data as Partial<CommandMessage> | null;
  if (typeof data !== 'object' || data === null || data.tag !== TAG) return;
  const port = message.ports[0];
  if (!port) return;
  const id = typeof data.id === 'string' ? data.id : '';
  const problem = validateCommand(data.command);
  if (problem !== undefined) {
    post(port, { tag: TAG, id, ok: false, error: { code: 'invalid-message', message: problem } });
    return;
  }
  const command = data.command as WorkerCommand;
  try {
    const result = await dispatch(command, controls);
    post(port, { tag: TAG, id, ok: true, result });
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'worker-failed';
    post(port, { tag: TAG, id, ok: false, error: { code, message: String(error) } });
  }
}

function dispatch(command: WorkerCommand, controls: WorkerControls): Promise<unknown> {
  switch (command.op) {
    case 'ping':
      return controls.ping(command);
    case 'purgeAll':
      return controls.purgeAll(command);
    case 'invalidateByTag':
      return controls.invalidateByTag(command);
    case 'dangerouslyDeleteByTag':
      return controls.dangerouslyDeleteByTag(command);
    case 'inspect':
      return controls.inspect(command);
    case 'setClockOffset':
      return controls.setClockOffset(command);
    case 'setVisitorLocation':
      return controls.setVisitorLocation(command);
    case 'injectStorageFault':
      return controls.injectStorageFault(command);
    case 'injectBackendFault':
      return controls.injectBackendFault(command);
    case 'applyFeed':
      return controls.applyFeed(command);
  }
}

/** Returns why the command is malformed, or undefined when it is valid. */
export function validateCommand(command: unknown): string | undefined {
  if (typeof command !== 'object' || command === null) return 'command must be an object';
  const c = command as Record<string, unknown>;
  switch (c.op) {
    case 'ping':
    case 'purgeAll':
    case 'inspect':
      return undefined;
    case 'invalidateByTag':
      return validateTags(c.tags);
    case 'dangerouslyDeleteByTag': {
      const deadline = c.revalidationDeadlineSeconds;
      if (typeof deadline !== 'number' || !Number.isFinite(deadline) || deadline < 0) {
        return 'revalidationDeadlineSeconds must be a finite number ≥ 0';
      }
      return validateTags(c.tags);
    }
    case 'setClockOffset':
      return typeof c.ms === 'number' && Number.isFinite(c.ms) ? undefined : 'ms must be a finite number';
    case 'setVisitorLocation':
      return validateLocation(c.location);
    case 'injectStorageFault':
      return validateFault(c);
    case 'injectBackendFault':
      return checkFaultRules(c.rules);
    case 'applyFeed':
      return validateFeedCommand(c);
    default:
      return `unknown op ${JSON.stringify(c.op)}`;
  }
}

/** R74: tags are non-empty strings of at most 256 characters; commas were split by the SDK (R73). */
function validateTags(tags: unknown): string | undefined {
  if (!Array.isArray(tags) || tags.length === 0) return 'tags must be a non-empty array';
  const ok = tags.every((tag) => typeof tag === 'string' && tag !== '' && tag.length <= 256 && !tag.includes(','));
  return ok ? undefined : 'each tag must be a string of 1-256 characters without commas';
}

const LOCATION_FIELDS: readonly (keyof VisitorLocation)[] = [
  'country',
  'countryRegion',
  'city',
  'latitude',
  'longitude',
  'postalCode',
  'region',
  'ipAddress',
];

function validateLocation(location: unknown): string | undefined {
  if (location === null) return undefined;
  if (typeof location !== 'object') return 'location must be an object or null';
  for (const [name, value] of Object.entries(location)) {
    if (!(LOCATION_FIELDS as readonly string[]).includes(name)) return `unknown location field ${name}`;
    if (value === undefined) continue;
    if (typeof value !== 'string') return `location.${name} must be a string`;
    // Header values must be ByteStrings; only the city is percent-encoded by the edge (R126).
    if (name !== 'city' && !/^[\x20-\x7e]*$/.test(value)) return `location.${name} must be printable ASCII`;
  }
  return undefined;
}

const OPERATIONS = ['get', 'put', 'variants', 'updateMeta', 'delete'];

function validateFault(c: Record<string, unknown>): string | undefined {
  if (typeof c.failNext !== 'number' || !Number.isInteger(c.failNext) || c.failNext < 0) return 'failNext must be a whole number ≥ 0';
  if (c.operations === undefined) return undefined;
  const ok = Array.isArray(c.operations) && c.operations.every((op) => OPERATIONS.includes(op as string));
  return ok ? undefined : `operations must list some of ${OPERATIONS.join(', ')}`;
}

function post(port: MessagePort, reply: ReplyMessage): void {
  port.postMessage(reply);
}
