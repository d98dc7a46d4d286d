/**
 * DynamoDB for the local stand-in: dynalite (a maintained Node.js implementation of the DynamoDB
 * API, in memory) behind FakeAws, so calls are recorded and faults injected like every other
 * service's, and the table the stack creates exists with the same key schema.
 */

import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The table name the tests' function environment uses (see test/support/env.ts). */
export const FAKE_LEDGER_TABLE = 'ScimTokenMonitor-LedgerTable';

export class FakeDynamoDb {
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    // dynalite ships no types; it is a function returning an http.Server.
    const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
    this.server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    await this.createLedger();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Drops every item. */
  async reset(): Promise<void> {
    const keys = (await this.items()).map((i) => ({ pk: i.pk }));
    for (let i = 0; i < keys.length; i += 25) {
      const batch = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      const [status, body] = await this.call('BatchWriteItem', {
        RequestItems: { [FAKE_LEDGER_TABLE]: batch },
      });
      if (status !== 200) throw new Error(`resetting the fake ledger failed: ${body}`);
    }
  }

  private async createLedger(): Promise<void> {
    const [status, body] = await this.call('CreateTable', {
      TableName: FAKE_LEDGER_TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    if (status !== 200) throw new Error(`creating the fake ledger failed: ${body}`);
    // Like DynamoDB, dynalite creates a table asynchronously: wait until it is ACTIVE.
    for (let i = 0; i < 100; i++) {
      const [, described] = await this.call('DescribeTable', { TableName: FAKE_LEDGER_TABLE });
      if ((JSON.parse(described) as { Table?: { TableStatus?: string } }).Table?.TableStatus === 'ACTIVE')
        return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the fake ledger never became ACTIVE');
  }

  /** Stores a state record as the monitor would (tests seed state with it). */
  async putState(key: string, json: string): Promise<void> {
    const [status, body] = await this.call('PutItem', {
      TableName: FAKE_LEDGER_TABLE,
      Item: { pk: { S: `state#${key}` }, state: { S: json } },
    });
    if (status !== 200) throw new Error(`seeding the fake ledger failed: ${body}`);
  }

  /** Stores a raw item (tests seed a delivery claim with it). */
  async putItem(item: Record<string, unknown>): Promise<void> {
    const [status, body] = await this.call('PutItem', { TableName: FAKE_LEDGER_TABLE, Item: item });
    if (status !== 200) throw new Error(`seeding the fake ledger failed: ${body}`);
  }

  /** Every item, as DynamoDB JSON (for assertions). */
  async items(): Promise<Array<Record<string, Record<string, unknown>>>> {
    const items: Array<Record<string, Record<string, unknown>>> = [];
    let start: unknown;
    do {
      const [, body] = await this.call('Scan', {
        TableName: FAKE_LEDGER_TABLE,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      const page = JSON.parse(body) as { Items?: typeof items; LastEvaluatedKey?: unknown };
      if (!page.Items) throw new Error(`scanning the fake ledger failed: ${body}`);
      items.push(...page.Items);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * Forwards one JSON 1.0 call and answers as DynamoDB does. dynalite predates
   * `ReturnValuesOnConditionCheckFailure`; it is emulated here, strictly: only on the writes that
   * take it, only `ALL_OLD` or `NONE`, and the item as it was is returned inside the
   * ConditionalCheckFailedException (nothing else can write between the two, as dynalite runs
   * in this process).
   */
  async forward(
    target: string,
    body: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<[number, string]> {
    const operation = target.split('.')[1] ?? '';
    const input = JSON.parse(body || '{}') as Record<string, unknown>;
    const onFailure = input.ReturnValuesOnConditionCheckFailure;
    if (onFailure === undefined) return this.send(target, body, headers);
    if (
      !['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation) ||
      !['ALL_OLD', 'NONE'].includes(String(onFailure))
    ) {
      return [
        400,
        JSON.stringify({
          __type: 'com.amazon.coral.validate#ValidationException',
          message: `1 validation error detected: Value '${String(onFailure)}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
        }),
      ];
    }
    const { ReturnValuesOnConditionCheckFailure: _, ...rest } = input;
    const [status, text] = await this.send(target, JSON.stringify(rest), headers);
    if (status !== 400 || onFailure !== 'ALL_OLD' || !text.includes('ConditionalCheckFailedException')) {
      return [status, text];
    }
    const [, got] = await this.call('GetItem', {
      TableName: rest.TableName,
      Key: rest.Key,
      ConsistentRead: true,
    });
    const item = (JSON.parse(got) as { Item?: unknown }).Item;
    return [status, JSON.stringify({ ...(JSON.parse(text) as object), ...(item ? { Item: item } : {}) })];
  }

  /** Sends one JSON 1.0 call to dynalite; resolves to the status and body it answered. */
  private send(
    target: string,
    body: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<[number, string]> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': target,
            authorization: String(
              headers.authorization ??
                'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
            ),
            'x-amz-date': String(headers['x-amz-date'] ?? '20260101T000000Z'),
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve([res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8')]));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  private call(operation: string, input: unknown): Promise<[number, string]> {
    return this.send(`DynamoDB_20120810.${operation}`, JSON.stringify(input), {});
  }
}
