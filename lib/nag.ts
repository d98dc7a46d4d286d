/** Naming what cdk-nag reports, so that each acknowledgement matches exactly one finding. */
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * `arn:<partition>:<service>:<region>:<account>` as cdk-nag names it in a finding: literal
 * where the stack's environment is known, else `<AWS::Region>` and friends.
 */
export function nagArnHead(scope: IConstruct, service: string): string {
  const stack = Stack.of(scope);
  const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return `arn:${literal(stack.partition, 'Partition')}:${service}:${literal(stack.region, 'Region')}:${literal(stack.account, 'AccountId')}`;
}
