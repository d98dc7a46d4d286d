/**
 * The delivery ledger, one DynamoDB table: the monitor's alert state (`state#<key>` items) and a
 * claim per alert and channel (`delivery#<alert key>` items), so that overlapping, retried or
 * crashed runs send each alert once per channel. Conditional writes make a claim atomic; a TTL
 * removes what no run will ask about again.
 *
 * A claim is owned by one invocation (Lambda keeps the request ID across its own retries) and
 * leased until that invocation cannot be running any more; another run may take it over only
 * then. See docs/architecture.md, "Exactly once".
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LEDGER } from '../core/contract';
import { type Channel, type ClaimResult, type Ledger, StateConflict } from '../core/ports';
import { CLIENT_CONFIG } from './client-config';

export const dynamodb = new DynamoDBClient(CLIENT_CONFIG);

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_KEYS = 100;
/** Items the monitor stops asking about are removed by DynamoDB's TTL after this long. */
export const LEDGER_TTL_DAYS = 400;

export type { Channel, ClaimResult } from '../core/ports';

const { partitionKey: PK, stateAttribute: STATE, ttlAttribute: TTL, statePrefix, deliveryPrefix } = LEDGER;
const ttl = (now: Date) => ({ N: String(Math.floor(now.getTime() / 1000) + LEDGER_TTL_DAYS * 86_400) });
const stateKey = (key: string) => ({ [PK]: { S: `${statePrefix}${key}` } });
const deliveryKey = (key: string) => ({ [PK]: { S: `${deliveryPrefix}${key}` } });

/** The stored JSON of the named state records that exist (strongly consistent reads). */
export async function readStates(table: string, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += BATCH_GET_KEYS) {
    let request: Record<string, { Keys: Array<ReturnType<typeof stateKey>>; ConsistentRead: boolean }> = {
      [table]: { Keys: unique.slice(i, i + BATCH_GET_KEYS).map(stateKey), ConsistentRead: true },
    };
    // Unprocessed keys (throttling) are asked again until none is left; the SDK backs off on errors.
    for (let attempt = 0; Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const res = await dynamodb.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of res.Responses?.[table] ?? []) {
        const pk = item[PK]?.S;
        const value = item[STATE]?.S;
        if (pk && value !== undefined) out.set(pk.slice(statePrefix.length), value);
      }
      request = (res.UnprocessedKeys ?? {}) as typeof request;
      if (attempt > 20) throw new Error('BatchGetItem left keys unprocessed after 20 attempts');
    }
  }
  return out;
}

/**
 * Writes a state record. With `expected`, only if the stored JSON is exactly that (`null`: only if
 * there is none), else `StateConflict`: optimistic concurrency for records that concurrent
 * invocations update (the adopted index), so neither overwrites the other's change.
 */
export async function writeState(
  table: string,
  key: string,
  json: string,
  now: Date,
  expected?: string | null,
): Promise<void> {
  const condition: Pick<
    PutItemCommandInput,
    'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
  > =
    expected === undefined
      ? {}
      : expected === null
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
        : {
            ConditionExpression: '#state = :expected',
            ExpressionAttributeNames: { '#state': STATE },
            ExpressionAttributeValues: { ':expected': { S: expected } },
          };
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: { ...stateKey(key), [STATE]: { S: json }, [TTL]: ttl(now) },
        ...condition,
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new StateConflict(`state ${key} was changed by another invocation`);
    }
    throw error;
  }
}

/** Removes state records (the CLI's `remove`); absent ones are fine. */
export async function deleteStates(table: string, keys: readonly string[]): Promise<void> {
  for (const key of keys)
    await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: stateKey(key) }));
}

/**
 * Claims one alert on one channel for `owner` until `leaseUntil`. `sent`: some run delivered it
 * already; `busy`: another invocation holds a live claim (it will deliver, or its lease runs out
 * and a later run will).
 */
export async function claim(
  table: string,
  key: string,
  channel: Channel,
  owner: string,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimResult> {
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: deliveryKey(key),
        // A failed condition returns the item as it is: no second read to learn why.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        UpdateExpression: 'SET #ch = :claim, #ttl = :ttl',
        ConditionExpression:
          'attribute_not_exists(#ch) OR (#ch.#status = :claimed AND (#ch.#owner = :owner OR #ch.#until < :now))',
        ExpressionAttributeNames: {
          '#ch': channel,
          '#status': 'status',
          '#owner': 'owner',
          '#until': 'until',
          '#ttl': TTL,
        },
        ExpressionAttributeValues: {
          ':claim': {
            M: {
              status: { S: 'claimed' },
              owner: { S: owner },
              until: { N: String(leaseUntil.getTime()) },
            },
          },
          ':claimed': { S: 'claimed' },
          ':owner': { S: owner },
          ':now': { N: String(now.getTime()) },
          ':ttl': ttl(now),
        },
      }),
    );
    return 'claimed';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return error.Item?.[channel]?.M?.status?.S === 'sent' ? 'sent' : 'busy';
  }
}

/** Records that `owner` delivered the alert on the channel. */
export async function confirm(
  table: string,
  key: string,
  channel: Channel,
  owner: string,
  now: Date,
  messageId: string,
): Promise<void> {
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: deliveryKey(key),
      UpdateExpression: 'SET #ch = :sent',
      ExpressionAttributeNames: { '#ch': channel },
      ExpressionAttributeValues: {
        ':sent': {
          M: {
            status: { S: 'sent' },
            owner: { S: owner },
            at: { S: now.toISOString() },
            messageId: { S: messageId },
          },
        },
      },
    }),
  );
}

/** Gives up a claim whose send failed, so any run may take it at once. */
export async function release(table: string, key: string, channel: Channel, owner: string): Promise<void> {
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: deliveryKey(key),
        UpdateExpression: 'REMOVE #ch',
        ConditionExpression: '#ch.#status = :claimed AND #ch.#owner = :owner',
        ExpressionAttributeNames: { '#ch': channel, '#status': 'status', '#owner': 'owner' },
        ExpressionAttributeValues: { ':claimed': { S: 'claimed' }, ':owner': { S: owner } },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/** Every state record whose key starts with `keyPrefix` (the CLI lists AWS Health records). */
export async function scanStates(table: string, keyPrefix: string): Promise<Map<string, string>> {
  const { paginateScan } = await import('@aws-sdk/client-dynamodb');
  const out = new Map<string, string>();
  const pages = paginateScan(
    { client: dynamodb },
    {
      TableName: table,
      FilterExpression: 'begins_with(#pk, :p)',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':p': { S: `${statePrefix}${keyPrefix}` } },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const pk = item[PK]?.S;
      const value = item[STATE]?.S;
      if (pk && value !== undefined) out.set(pk.slice(statePrefix.length), value);
    }
  }
  return out;
}

/** The ledger table as the monitor's delivery port. */
export function dynamoLedger(table: string): Ledger {
  return {
    claim: (key, channel, owner, now, leaseUntil) => claim(table, key, channel, owner, now, leaseUntil),
    confirm: (key, channel, owner, now, messageId) => confirm(table, key, channel, owner, now, messageId),
    release: (key, channel, owner) => release(table, key, channel, owner),
    writeState: (key, json, now, expected) => writeState(table, key, json, now, expected),
  };
}
