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
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CLIENT_CONFIG } from './client-config';

export const dynamodb = new DynamoDBClient(CLIENT_CONFIG);

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_KEYS = 100;
/** Items the monitor stops asking about are removed by DynamoDB's TTL after this long. */
export const LEDGER_TTL_DAYS = 400;

export type Channel = 'sns' | 'events';
export type ClaimResult = 'claimed' | 'sent' | 'busy';

const ttl = (now: Date) => ({ N: String(Math.floor(now.getTime() / 1000) + LEDGER_TTL_DAYS * 86_400) });
const stateKey = (key: string) => ({ pk: { S: `state#${key}` } });
const deliveryKey = (key: string) => ({ pk: { S: `delivery#${key}` } });

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
        const pk = item.pk?.S;
        const value = item.state?.S;
        if (pk && value !== undefined) out.set(pk.slice('state#'.length), value);
      }
      request = (res.UnprocessedKeys ?? {}) as typeof request;
      if (attempt > 20) throw new Error('BatchGetItem left keys unprocessed after 20 attempts');
    }
  }
  return out;
}

export async function writeState(table: string, key: string, json: string, now: Date): Promise<void> {
  await dynamodb.send(
    new PutItemCommand({ TableName: table, Item: { ...stateKey(key), state: { S: json }, ttl: ttl(now) } }),
  );
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
        UpdateExpression: 'SET #ch = :claim, #ttl = :ttl',
        ConditionExpression:
          'attribute_not_exists(#ch) OR (#ch.#status = :claimed AND (#ch.#owner = :owner OR #ch.#until < :now))',
        ExpressionAttributeNames: {
          '#ch': channel,
          '#status': 'status',
          '#owner': 'owner',
          '#until': 'until',
          '#ttl': 'ttl',
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
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const res = await dynamodb.send(
    new GetItemCommand({ TableName: table, Key: deliveryKey(key), ConsistentRead: true }),
  );
  return res.Item?.[channel]?.M?.status?.S === 'sent' ? 'sent' : 'busy';
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
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': { S: `state#${keyPrefix}` } },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (item.pk?.S && item.state?.S !== undefined) out.set(item.pk.S.slice('state#'.length), item.state.S);
    }
  }
  return out;
}
