import { Match } from 'aws-cdk-lib/assertions';
import { synthStack } from '../../support/stack';

describe('the delivery ledger', () => {
  const { template } = synthStack();
  it('keeps alert state in an encrypted, recoverable ledger table that cleans itself up', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('is the only state: no SSM parameter is written by the monitor', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).not.toContain('ssm:PutParameter');
  });
});
