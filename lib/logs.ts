/** The monitor's log groups: named under one prefix, encrypted with the monitor's key, retained as asked. */
import { Names, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { logGroupNamePrefix } from './keys';

/** Kept one year by default: AWS Control Tower's CT.CLOUDWATCH.PR.2 asks for at least that. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

export function monitorLogGroup(
  scope: Construct,
  id: string,
  retention: logs.RetentionDays,
  key: kms.IKey,
): logs.LogGroup {
  const group = new logs.LogGroup(scope, id, {
    // Named under the prefix the key policy lets CloudWatch Logs use (see keys.ts).
    logGroupName: `${logGroupNamePrefix(scope)}${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}-${id}`,
    retention,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return group;
}
