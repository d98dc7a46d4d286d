/**
 * The delivery ledger: one DynamoDB table holding the monitor's alert state and a claim per alert
 * and channel, so overlapping, retried or crashed runs send each alert once per channel without
 * reserving concurrency. On-demand (a few hundred small writes a day cost cents), encrypted with
 * the monitor's key (AWS Control Tower CT.DYNAMODB.PR.2), point-in-time recovery on
 * (CT.DYNAMODB.PR.1, AwsSolutions-DDB3), and a TTL so records nobody asks about again go away.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LEDGER } from '../../core/contract';
import { viaService } from '../keys';

export interface DeliveryLedgerProps {
  /** Encrypts the table. */
  readonly key: kms.IKey;
}

export class DeliveryLedger extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DeliveryLedgerProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: LEDGER.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The function sets it on every write (epoch seconds).
      timeToLiveAttribute: LEDGER.ttlAttribute,
      // What was sent is worth keeping through a stack replacement only by accident: deleting the
      // monitor deletes its memory, and a new monitor re-sends at most the alerts currently due.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /**
   * Exactly what the monitor calls, on this table only: read state (BatchGetItem), write state and
   * claims (PutItem, UpdateItem with conditions; a failed claim returns the item it found, so no
   * GetItem). No Scan, no Query, no delete.
   */
  public grantMonitor(role: iam.IGrantable): void {
    this.table.grant(role, 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    // The table key, only through DynamoDB, and without grantEncryptDecrypt's ReEncrypt* wildcard:
    // data-plane calls need DynamoDB to decrypt and refresh the table's data key.
    const key = this.table.encryptionKey;
    if (key) {
      iam.Grant.addToPrincipal({
        grantee: role,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resourceArns: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaService(this, 'dynamodb') } },
      });
    }
  }
}
