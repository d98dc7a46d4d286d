/**
 * A local stand-in for the AWS APIs the monitor and the CLI call (SSM, SNS, EventBridge, SSO
 * Admin, DynamoDB, CloudTrail's LookupEvents, and CloudFormation's DescribeStacks), speaking their real wire protocols (AWS
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
import { FakeCloudTrail } from './fake-cloudtrail';
import { FakeDynamoDb } from './fake-dynamodb';
import { publishBatch } from './fake-sns';
import { FakeSsm } from './fake-ssm';

export type { FakeStack } from './fake-aws-ops';
export type { EntryFaultPolicy, Published } from './fake-aws-types';
export { FAKE_LEDGER_TABLE } from './fake-dynamodb';

import type { StoredParameter } from './fake-ssm';

export type { StoredParameter } from './fake-ssm';

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
  /** SSM Parameter Store: the registry, and the deployments' settings. */
  private readonly ssm = new FakeSsm(() => this.clock());
  readonly parameters = this.ssm.parameters;
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
  /**
   * GetParametersByPath answers this many pages with no parameter (and a token for the next)
   * before the first real one: SSM documents that a page may hold fewer results than asked, even
   * none, while more follow.
   */
  get emptyPagesFirst(): number {
    return this.ssm.emptyPagesFirst;
  }
  set emptyPagesFirst(n: number) {
    this.ssm.emptyPagesFirst = n;
  }
  /** CloudTrail's Event history: the SCIM calls identity providers made, per region. */
  readonly cloudTrail = new FakeCloudTrail();
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

  /** Writes a parameter as SSM does (a new version, written at `clock()`). */
  put(
    name: string,
    value: string,
    type: StoredParameter['type'] = 'String',
    lastModified = this.clock(),
  ): void {
    this.ssm.put(name, value, type, lastModified);
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
      // CloudTrail's target is `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>`.
      const dot = target.lastIndexOf('.');
      const [prefix, operation] = [target.slice(0, dot).split('.').pop() as string, target.slice(dot + 1)];
      const service =
        {
          AmazonSSM: 'ssm',
          AWSEvents: 'events',
          SWBExternalService: 'sso',
          GraniteServiceVersion20100801: 'cloudwatch',
          DynamoDB_20120810: 'dynamodb',
          CloudTrail_20131101: 'cloudtrail',
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
      const [status, answer] =
        call.action === 'cloudtrail:LookupEvents'
          ? this.cloudTrail.lookupEvents(call.input, signedRegion(req))
          : (this.ops.json(call.action, call.input) ?? this.answer(call));
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
      case 'ssm:GetParametersByPath':
      case 'ssm:GetParameters':
      case 'ssm:GetParameter':
      case 'ssm:PutParameter':
      case 'ssm:DeleteParameters':
      case 'ssm:DeleteParameter':
        return this.ssm.answer(call.action, input);
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

/** The region a request was signed for (SigV4's credential scope), as AWS's regional endpoints serve. */
function signedRegion(req: IncomingMessage): string {
  const scope = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(req.headers.authorization ?? ''));
  return scope?.[1] ?? 'us-east-1';
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
