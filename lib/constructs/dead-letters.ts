/**
 * Where invocations go that failed after every retry (the monitor's async invokes, the rules'
 * deliveries, the Slack forwarder's): an encrypted queue, and an alarm as soon as it holds one.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLettersProps {
  /** Alarm when it holds a message (the alarm needs an action where AWS Control Tower rules). */
  readonly alarm?: boolean;
  /** The alarm's name and description. @default - a generated name; the monitor's description */
  readonly alarmName?: string;
  readonly alarmDescription?: string;
}

export class DeadLetters extends Construct {
  public readonly queue: sqs.Queue;
  /** A failed invocation is waiting in the queue (unless `alarm` is false). */
  public readonly alarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLettersProps = {}) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
      // It is a dead-letter queue, the last stop of failed invocations: declared as one (SQS's
      // default, made explicit), which is how AWS Control Tower's CT.SQS.PR.1 tells a dead-letter
      // queue from a queue that needs a dead-letter queue of its own. A second queue behind this
      // one would hold nothing anyone reads; the alarm below is what acts on it.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the monitor; an alarm watches it.',
    });
    if (props.alarm === false) return;
    this.alarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      ...(props.alarmName ? { alarmName: props.alarmName } : {}),
      alarmDescription:
        props.alarmDescription ??
        'A SCIM token monitor invocation failed after every retry and is in the dead-letter queue: alerts may be missing.',
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
