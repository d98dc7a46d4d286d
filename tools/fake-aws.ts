/**
 * A local stand-in for the AWS APIs the monitor and the CLI call (SSM, SNS, EventBridge, SSO
 * Admin, DynamoDB, and CloudFormation's DescribeStacks), speaking their real wire protocols (AWS
 * JSON 1.0 and 1.1, and the SNS and CloudFormation query protocols) on 127.0.0.1.
 * Point any SDK v3 client at it with AWS_ENDPOINT_URL. It keeps parameters in memory, records
 * every call, and can fail a chosen fraction of calls to test retries and fault handling.
 *
 * No maintained Node.js library does this offline (LocalStack and moto need Docker or Python).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeOps, queryError } from './fake-aws-ops';
import type { EntryFaultPolicy, Published } from './fake-aws-types';
import { FakeDynamoDb } from './fake-dynamodb';
import { publishBatch } from './fake-sns';

export type { FakeStack } from './fake-aws-ops';
export type { EntryFaultPolicy, Published } from './fake-aws-types';
export { FAKE_LEDGER_TABLE } from './fake-dynamodb';

export interface StoredParameter {
  readonly name: string;
  readonly type: 'String' | 'SecureString' | 'StringList';
  readonly value: string;
  readonly version: number;
  readonly lastModified: Date;
  /** The KMS key of a SecureString (AWS's default: the AWS managed key alias/aws/ssm). */
  readonly keyId?: string;
}

export interface RecordedCall {
  /** e.g. `ssm:GetParametersByPath`, `sns:Publish`. */
  readonly action: string;
  readonly input: Record<string, unknown>;
}

/**
 * Decides whether a call fails: an HTTP status and error code (the call is not applied), a drop
 * (the call is applied, then the connection is reset with no answer: what a client sees of a lost
 * answer, as after a timeout, without waiting for one), or undefined to serve it normally.
 */
export type Fault =
  | { readonly status: number; readonly code: string; readonly message?: string }
  | { readonly drop: true };

export type FaultPolicy = (call: RecordedCall) => Fault | undefined;

export class FakeAws {
  readonly parameters = new Map<string, StoredParameter>();
  readonly calls: RecordedCall[] = [];
  readonly published: Published[] = [];
  readonly events: Array<Record<string, unknown>> = [];
  /** Calls that were applied but whose answer the client never got (dropped, or it had gone). */
  readonly lostAnswers: RecordedCall[] = [];
  instances: Array<{ InstanceArn: string; IdentityStoreId: string }> = [];
  /** Stacks, subscriptions, rules, alarm history and metrics: what `doctor` reads. */
  readonly ops = new FakeOps();
  /** CloudFormation stacks by name. */
  get stacks() {
    return this.ops.stacks;
  }
  fault: FaultPolicy | undefined;
  entryFault: EntryFaultPolicy | undefined;
  /** The monitor's ledger table (dynalite, in memory). */
  readonly dynamodb = new FakeDynamoDb();
  /** What "now" is for LastModifiedDate of parameters written through the API. */
  clock: () => Date = () => new Date();
  private server: Server | undefined;

  async start(): Promise<string> {
    await this.dynamodb.start();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) =>
        this.reply(res, 500, { __type: 'InternalFailure', message: error.message }),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    await this.dynamodb.stop();
  }

  put(
    name: string,
    value: string,
    type: StoredParameter['type'] = 'String',
    lastModified = this.clock(),
  ): void {
    const version = (this.parameters.get(name)?.version ?? 0) + 1;
    if (!this.parameters.has(name)) this.listings.clear();
    this.parameters.set(name, { name, type, value, version, lastModified });
  }

  /**
   * Sorted parameter names under a path, cached until a parameter is added or removed, so paging
   * through 10,000 parameters costs the fake O(n), not O(n^2): the benchmark measures the
   * monitor, not its stand-in.
   */
  private readonly listings = new Map<string, { size: number; names: string[] }>();
  private listing(path: string, recursive: boolean): string[] {
    const key = `${recursive}:${path}`;
    const cached = this.listings.get(key);
    // Tests may change `parameters` directly: a different size means the listing is stale.
    if (cached && cached.size === this.parameters.size) return cached.names;
    const names = [...this.parameters.keys()]
      .filter((n) => n.startsWith(`${path}/`) && (recursive || !n.slice(path.length + 1).includes('/')))
      .sort();
    this.listings.set(key, { size: this.parameters.size, names });
    return names;
  }

  count(action: string): number {
    return this.calls.filter((c) => c.action === action).length;
  }

  resetRecords(): void {
    this.calls.length = 0;
    this.lostAnswers.length = 0;
    this.published.length = 0;
    this.events.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix, operation] = target.split('.') as [string, string];
      const service =
        {
          AmazonSSM: 'ssm',
          AWSEvents: 'events',
          SWBExternalService: 'sso',
          GraniteServiceVersion20100801: 'cloudwatch',
          DynamoDB_20120810: 'dynamodb',
        }[prefix] ?? prefix;
      const call = {
        action: `${service}:${operation}`,
        input: JSON.parse(body || '{}') as Record<string, unknown>,
      };
      this.calls.push(call);
      const fault = this.fault?.(call);
      if (fault && 'status' in fault) {
        return this.reply(res, fault.status, {
          __type: fault.code,
          message: fault.message ?? 'injected fault',
        });
      }
      if (service === 'dynamodb') {
        const [status, text] = await this.dynamodb.forward(target, body, req.headers);
        if (fault) return this.drop(res, call);
        if (res.destroyed || res.writableEnded) return void this.lostAnswers.push(call);
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': randomUUID(),
        });
        return void res.end(text);
      }
      const [status, answer] = this.ops.json(call.action, call.input) ?? this.answer(call);
      if (fault) return this.drop(res, call);
      return this.reply(res, status, answer, call);
    }
    const form = new URLSearchParams(body);
    // Query-protocol services are told apart by their API version, as AWS's endpoints are by host.
    const service = { '2010-03-31': 'sns', '2010-05-15': 'cloudformation' }[form.get('Version') ?? ''];
    if (!service)
      return this.queryError(res, 400, 'InvalidAction', `unknown API version ${form.get('Version')}`);
    const call = { action: `${service}:${form.get('Action')}`, input: Object.fromEntries(form) };
    this.calls.push(call);
    const fault = this.fault?.(call);
    if (fault && 'drop' in fault) {
      this.sns(new FakeResponse() as unknown as ServerResponse, form);
      return this.drop(res, call);
    }
    if (fault && 'status' in fault) {
      return this.queryError(res, fault.status, fault.code, fault.message ?? 'injected fault');
    }
    if (service === 'cloudformation') return this.xmlReply(res, this.ops.cloudFormation(form));
    if (call.action === 'sns:ListSubscriptionsByTopic')
      return this.xmlReply(res, this.ops.listSubscriptions(form));
    if (call.action === 'sns:GetTopicAttributes') return this.xmlReply(res, this.ops.topicAttributes(form));
    const answer = new FakeResponse();
    this.sns(answer as unknown as ServerResponse, form);
    if (!answer.replay(res)) this.lostAnswers.push(call);
  }

  /** The status and JSON body for one call. */
  private answer(call: RecordedCall): [number, unknown] {
    const input = call.input;
    switch (call.action) {
      case 'ssm:GetParametersByPath': {
        const path = String(input.Path).replace(/\/$/, '');
        const all = this.listing(path, input.Recursive === true);
        const max = Math.min(Number(input.MaxResults ?? 10), 10);
        const start = Number(input.NextToken ?? 0);
        const page = all.slice(start, start + max).map((n) => this.parameters.get(n) as StoredParameter);
        return [
          200,
          {
            Parameters: page.map((p) => this.describe(p, input.WithDecryption === true)),
            ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
          },
        ];
      }
      case 'ssm:GetParameters': {
        const names = input.Names as string[];
        if (names.length > 10) return [400, { __type: 'ValidationException', message: 'at most 10 names' }];
        const found = names.flatMap((n) =>
          this.parameters.has(n) ? [this.parameters.get(n) as StoredParameter] : [],
        );
        return [
          200,
          {
            Parameters: found.map((p) => this.describe(p, input.WithDecryption === true)),
            InvalidParameters: names.filter((n) => !this.parameters.has(n)),
          },
        ];
      }
      case 'ssm:GetParameter': {
        const p = this.parameters.get(String(input.Name));
        if (!p) return [400, { __type: 'ParameterNotFound', message: 'not found' }];
        return [200, { Parameter: this.describe(p, input.WithDecryption === true) }];
      }
      case 'ssm:PutParameter': {
        const name = String(input.Name);
        if (this.parameters.has(name) && input.Overwrite !== true) {
          return [400, { __type: 'ParameterAlreadyExists', message: 'exists' }];
        }
        const type = (input.Type as StoredParameter['type']) ?? 'String';
        if (input.KeyId !== undefined && type !== 'SecureString') {
          return [
            400,
            { __type: 'ValidationException', message: 'KeyId is only valid with the SecureString type.' },
          ];
        }
        this.put(name, String(input.Value), type);
        if (type === 'SecureString') {
          const p = this.parameters.get(name) as StoredParameter;
          this.parameters.set(name, { ...p, keyId: String(input.KeyId ?? 'alias/aws/ssm') });
        }
        return [200, { Version: this.parameters.get(name)?.version, Tier: 'Standard' }];
      }
      case 'ssm:DeleteParameters': {
        const names = input.Names as string[];
        if (!Array.isArray(names) || names.length < 1 || names.length > 10) {
          return [400, { __type: 'ValidationException', message: 'Names must hold 1 to 10 names' }];
        }
        const deleted = names.filter((n) => this.parameters.delete(n));
        this.listings.clear();
        return [
          200,
          { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) },
        ];
      }
      case 'ssm:DeleteParameter': {
        const existed = this.parameters.delete(String(input.Name));
        this.listings.clear();
        return existed ? [200, {}] : [400, { __type: 'ParameterNotFound', message: 'not found' }];
      }
      case 'events:PutEvents': {
        const entries = input.Entries as Array<Record<string, unknown>>;
        if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
          return [400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 entries' }];
        }
        // As EventBridge counts it: 14 bytes for Time, then Source, DetailType and Detail.
        const size = entries.reduce(
          (n, e) =>
            n +
            (e.Time === undefined ? 0 : 14) +
            ['Source', 'DetailType', 'Detail'].reduce((m, k) => m + Buffer.byteLength(String(e[k] ?? '')), 0),
          0,
        );
        if (size > 262_144) {
          return [
            400,
            {
              __type: 'ValidationException',
              message: 'Total size of the entries in the request is over the limit.',
            },
          ];
        }
        const answers = entries.map((e) => {
          const code = this.entryFault?.(call.action, e);
          if (code) return { ErrorCode: code, ErrorMessage: 'injected entry fault' };
          this.events.push(e);
          return { EventId: randomUUID() };
        });
        return [200, { FailedEntryCount: answers.filter((a) => 'ErrorCode' in a).length, Entries: answers }];
      }
      case 'sso:ListInstances':
        return [200, { Instances: this.instances }];
      default:
        return [400, { __type: 'UnknownOperationException', message: call.action }];
    }
  }

  private describe(p: StoredParameter, decrypt: boolean) {
    return {
      Name: p.name,
      Type: p.type,
      // Like SSM: a SecureString read without decryption returns ciphertext, never the secret.
      Value: p.type === 'SecureString' && !decrypt ? `AQICAH-ciphertext-${p.version}` : p.value,
      Version: p.version,
      LastModifiedDate: p.lastModified.getTime() / 1000,
      ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${p.name}`,
      DataType: 'text',
    };
  }

  private sns(res: ServerResponse, form: URLSearchParams): void {
    if (form.get('Action') === 'PublishBatch') {
      const [status, body] = publishBatch(form, this.entryFault, (p) => this.published.push(p));
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(body);
      return;
    }
    if (form.get('Action') !== 'Publish') {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
      return;
    }
    const attributes: Published['attributes'] = {};
    for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
      attributes[form.get(`MessageAttributes.entry.${i}.Name`) as string] = {
        dataType: form.get(`MessageAttributes.entry.${i}.Value.DataType`) as string,
        value: form.get(`MessageAttributes.entry.${i}.Value.StringValue`) as string,
      };
    }
    const subject = form.get('Subject') ?? undefined;
    const structure = form.get('MessageStructure') ?? undefined;
    this.published.push({
      topicArn: form.get('TopicArn') as string,
      ...(subject ? { subject } : {}),
      message: form.get('Message') as string,
      ...(structure ? { messageStructure: structure } : {}),
      attributes,
    });
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  }

  /** The call was applied; its answer is lost with the connection. */
  private drop(res: ServerResponse, call: RecordedCall): void {
    this.lostAnswers.push(call);
    res.destroy();
  }

  private xmlReply(res: ServerResponse, [status, body]: [number, string]): void {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(body);
  }

  private queryError(res: ServerResponse, status: number, code: string, message: string): void {
    this.xmlReply(res, queryError(status, code, message));
  }

  private reply(res: ServerResponse, status: number, body: unknown, call?: RecordedCall): void {
    // A client that timed out has gone: its late answer goes nowhere.
    if (res.destroyed || res.writableEnded) {
      if (call) this.lostAnswers.push(call);
      return;
    }
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  }
}

/** Captures an answer to send later (for hung SNS calls, which are applied at once). */
class FakeResponse {
  private status = 200;
  private headers: Record<string, string> = {};
  private body = '';
  writeHead(status: number, headers: Record<string, string>): void {
    this.status = status;
    this.headers = headers;
  }
  end(body: string): void {
    this.body = body;
  }
  /** Sends the captured answer; false when the client has already gone. */
  replay(res: ServerResponse): boolean {
    if (res.destroyed || res.writableEnded) return false;
    res.writeHead(this.status, this.headers);
    res.end(this.body);
    return true;
  }
}
