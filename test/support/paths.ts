/**
 * Every path an AWS service takes to a resource of the synthesized stack, and whether a policy
 * lets it through: the resource policy (topic, key, queue, Lambda permission) a service
 * principal needs, or the role policy a function needs. Found from the template itself, so a new
 * alarm, rule, subscription or log group brings its path with it.
 */

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties?: Json;
}
export interface Path {
  /** e.g. `cloudwatch.amazonaws.com sns:Publish -> MonitorAlertTopic`. */
  readonly path: string;
  /** The statement or permission that allows it, if any. */
  readonly allowedBy?: string;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The logical ID a value refers to (`Ref` or `Fn::GetAtt`), if any. */
function target(value: unknown): string | undefined {
  const v = value as Json | undefined;
  if (!v || typeof v !== 'object') return undefined;
  if (typeof v.Ref === 'string') return v.Ref;
  const att = v['Fn::GetAtt'] as unknown[] | undefined;
  return Array.isArray(att) && typeof att[0] === 'string' ? att[0] : undefined;
}

/** Whether a JSON value mentions `logicalId` anywhere (a Ref, a GetAtt, or inside a Join). */
const mentions = (value: unknown, logicalId: string): boolean =>
  JSON.stringify(value ?? null).includes(`"${logicalId}"`);

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: { Service?: unknown; AWS?: unknown };
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function serviceOf(s: Statement): string[] {
  return list(s.Principal?.Service as unknown).map((p) => (typeof p === 'string' ? p : JSON.stringify(p)));
}

function actionMatches(patterns: string | string[], action: string): boolean {
  return list(patterns).some((p) =>
    new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action),
  );
}

/** The statements of a policy document (none when there is no document). */
const statementsOf = (doc: unknown): Statement[] =>
  list((doc as { Statement?: Statement[] } | undefined)?.Statement);

const conditionKeys = (s: Statement) => Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));

export function servicePaths(template: { Resources: Record<string, Resource> }): Path[] {
  const resources = template.Resources;
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const paths: Path[] = [];

  /** A statement of a resource policy that allows `service` to do every one of `actions`. */
  const allowing = (
    statements: Statement[],
    service: string,
    actions: string[],
    needConditions: string[] = [],
  ): Statement | undefined =>
    statements.find(
      (s) =>
        s.Effect === 'Allow' &&
        serviceOf(s).some((p) => p.includes(service)) &&
        actions.every((a) => actionMatches(s.Action, a)) &&
        needConditions.every((k) => conditionKeys(s).includes(k)),
    );
  const topicPolicy = (topic: string) =>
    of('AWS::SNS::TopicPolicy')
      .filter(([, p]) => list(p.Properties?.Topics as unknown[]).some((t) => target(t) === topic))
      .flatMap(([, p]) => statementsOf(p.Properties?.PolicyDocument));
  const keyPolicy = (key: string) => statementsOf(resources[key]?.Properties?.KeyPolicy);
  const queuePolicy = (queue: string) =>
    of('AWS::SQS::QueuePolicy')
      .filter(([, p]) => list(p.Properties?.Queues as unknown[]).some((q) => target(q) === queue))
      .flatMap(([, p]) => statementsOf(p.Properties?.PolicyDocument));
  const rolePolicies = (role: string) => [
    ...of('AWS::IAM::Policy')
      .filter(([, p]) => list(p.Properties?.Roles as unknown[]).some((r) => target(r) === role))
      .flatMap(([, p]) => statementsOf(p.Properties?.PolicyDocument)),
    ...list(
      resources[role]?.Properties?.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>,
    ).flatMap((p) => p.PolicyDocument.Statement),
  ];
  const lambdaPermission = (fn: string, service: string, source: string) =>
    of('AWS::Lambda::Permission').find(
      ([, p]) =>
        target(p.Properties?.FunctionName) === fn &&
        p.Properties?.Principal === service &&
        p.Properties?.Action === 'lambda:InvokeFunction' &&
        target(p.Properties?.SourceArn) === source,
    )?.[0];
  const add = (path: string, allowedBy: string | undefined) =>
    paths.push({ path, ...(allowedBy ? { allowedBy } : {}) });
  const sid = (s: Statement | undefined, where: string) =>
    s ? `${where}: ${s.Sid ?? 'statement'}` : undefined;
  const ALARM_CONDITIONS = ['aws:SourceAccount', 'aws:SourceArn'];

  // CloudWatch alarms -> the topic they notify, and its key.
  for (const [alarm, a] of of('AWS::CloudWatch::Alarm')) {
    const topics = new Set(
      [...list(a.Properties?.AlarmActions as unknown[]), ...list(a.Properties?.OKActions as unknown[])]
        .map(target)
        .filter((t): t is string => t !== undefined && resources[t]?.Type === 'AWS::SNS::Topic'),
    );
    for (const topic of topics) {
      add(
        `cloudwatch.amazonaws.com sns:Publish -> ${topic} (alarm ${alarm})`,
        sid(
          allowing(topicPolicy(topic), 'cloudwatch.amazonaws.com', ['sns:Publish'], ALARM_CONDITIONS),
          'topic policy',
        ),
      );
      const key = target(resources[topic]?.Properties?.KmsMasterKeyId);
      if (key) {
        add(
          `cloudwatch.amazonaws.com kms:GenerateDataKey, kms:Decrypt -> ${key} (alarm ${alarm})`,
          sid(
            allowing(
              keyPolicy(key),
              'cloudwatch.amazonaws.com',
              ['kms:GenerateDataKey', 'kms:Decrypt'],
              ALARM_CONDITIONS,
            ),
            'key policy',
          ),
        );
      }
    }
  }

  // CloudWatch alarms -> the Lambda functions they invoke (the alarm relay), and those functions ->
  // the topics they publish to, through their roles.
  for (const [alarm, a] of of('AWS::CloudWatch::Alarm')) {
    const fns = new Set(
      [...list(a.Properties?.AlarmActions as unknown[]), ...list(a.Properties?.OKActions as unknown[])]
        .map(target)
        .filter((t): t is string => t !== undefined && resources[t]?.Type === 'AWS::Lambda::Function'),
    );
    for (const fn of fns) {
      add(
        `lambda.alarms.cloudwatch.amazonaws.com lambda:InvokeFunction -> ${fn} (alarm ${alarm})`,
        lambdaPermission(fn, 'lambda.alarms.cloudwatch.amazonaws.com', alarm),
      );
      const role = target(resources[fn]?.Properties?.Role);
      const variables = (resources[fn]?.Properties?.Environment as Json | undefined)?.Variables as
        | Json
        | undefined;
      const topic = target(variables?.ALERT_TOPIC_ARN);
      if (role && topic) {
        const s = rolePolicies(role).find(
          (st) =>
            st.Effect === 'Allow' && actionMatches(st.Action, 'sns:Publish') && mentions(st.Resource, topic),
        );
        add(`${fn} sns:Publish -> ${topic} (alarm ${alarm})`, sid(s, `role ${role}`));
      }
    }
  }

  // EventBridge rules -> their Lambda targets, and the targets' dead-letter queues.
  for (const [rule, r] of of('AWS::Events::Rule')) {
    for (const t of list(r.Properties?.Targets as Json[])) {
      const fn = target(t.Arn);
      if (fn && resources[fn]?.Type === 'AWS::Lambda::Function') {
        add(
          `events.amazonaws.com lambda:InvokeFunction -> ${fn} (rule ${rule})`,
          lambdaPermission(fn, 'events.amazonaws.com', rule),
        );
      }
      const dlq = target((t.DeadLetterConfig as Json | undefined)?.Arn);
      if (dlq) {
        const s = queuePolicy(dlq).find(
          (st) =>
            allowing([st], 'events.amazonaws.com', ['sqs:SendMessage'], ['aws:SourceArn']) &&
            mentions(st.Condition, rule),
        );
        add(`events.amazonaws.com sqs:SendMessage -> ${dlq} (rule ${rule})`, sid(s, 'queue policy'));
      }
    }
  }

  // SNS -> Lambda subscribers, and the subscriptions' dead-letter queues.
  for (const [sub, s] of of('AWS::SNS::Subscription')) {
    const topic = target(s.Properties?.TopicArn);
    const fn = target(s.Properties?.Endpoint);
    if (s.Properties?.Protocol === 'lambda' && fn && topic) {
      add(
        `sns.amazonaws.com lambda:InvokeFunction -> ${fn} (subscription ${sub})`,
        lambdaPermission(fn, 'sns.amazonaws.com', topic),
      );
    }
    const dlq = target((s.Properties?.RedrivePolicy as Json | undefined)?.deadLetterTargetArn);
    if (dlq && topic) {
      const st = queuePolicy(dlq).find(
        (q) =>
          allowing([q], 'sns.amazonaws.com', ['sqs:SendMessage'], ['aws:SourceArn']) &&
          mentions(q.Condition, topic),
      );
      add(`sns.amazonaws.com sqs:SendMessage -> ${dlq} (subscription ${sub})`, sid(st, 'queue policy'));
    }
  }

  // Lambda -> a function's dead-letter queue and log group, through the function's role.
  for (const [fn, f] of of('AWS::Lambda::Function')) {
    const role = target(f.Properties?.Role);
    if (!role) continue;
    const roleAllows = (action: string, resource: string) =>
      rolePolicies(role).find(
        (st) => st.Effect === 'Allow' && actionMatches(st.Action, action) && mentions(st.Resource, resource),
      );
    const dlq = target((f.Properties?.DeadLetterConfig as Json | undefined)?.TargetArn);
    if (dlq) add(`${fn} sqs:SendMessage -> ${dlq}`, sid(roleAllows('sqs:SendMessage', dlq), `role ${role}`));
    const group = target((f.Properties?.LoggingConfig as Json | undefined)?.LogGroup);
    if (group)
      add(`${fn} logs:PutLogEvents -> ${group}`, sid(roleAllows('logs:PutLogEvents', group), `role ${role}`));
  }

  // CloudWatch Logs -> the key of each encrypted log group.
  for (const [group, g] of of('AWS::Logs::LogGroup')) {
    const key = target(g.Properties?.KmsKeyId);
    if (!key) continue;
    const st = keyPolicy(key).find(
      (s) =>
        allowing(
          [s],
          'logs.',
          ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
          ['kms:EncryptionContext:aws:logs:arn'],
        ) !== undefined,
    );
    add(
      `logs.<region>.amazonaws.com kms:Encrypt, kms:GenerateDataKey, kms:Decrypt -> ${key} (log group ${group})`,
      sid(st, 'key policy'),
    );
  }

  // (The deploy-time check is a custom resource served by the monitor itself: CloudFormation
  // invokes it with the deploying role's rights, through no resource policy of the stack.)

  // Chatbot -> the channel role it assumes.
  for (const [channel, c] of [
    ...of('AWS::Chatbot::SlackChannelConfiguration'),
    ...of('AWS::Chatbot::MicrosoftTeamsChannelConfiguration'),
  ]) {
    const role = target(c.Properties?.IamRoleArn);
    const trust = role ? statementsOf(resources[role]?.Properties?.AssumeRolePolicyDocument) : [];
    add(
      `chatbot.amazonaws.com sts:AssumeRole -> ${role} (${channel})`,
      sid(allowing(trust, 'chatbot.amazonaws.com', ['sts:AssumeRole']), 'trust policy'),
    );
  }
  return paths;
}
