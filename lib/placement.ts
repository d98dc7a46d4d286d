/** Where the functions run: in a VPC when one is given (AWS Control Tower CT.LAMBDA.PR.3). */
import { Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

export interface Placement {
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
}

/** The function props for the placement: none outside a VPC. */
export function placementProps(
  p: Placement,
): Pick<lambda.FunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups'> {
  if (!p.vpc) return {};
  return {
    vpc: p.vpc,
    ...(p.vpcSubnets ? { vpcSubnets: p.vpcSubnets } : {}),
    ...(p.securityGroups ? { securityGroups: [...p.securityGroups] } : {}),
  };
}

/** In a VPC, Lambda's own managed policy manages the function's network interfaces. */
export function acknowledgeVpcAccess(role: iam.IRole, p: Placement): void {
  if (!p.vpc) return;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    reason:
      'Lambda needs to create and delete the network interfaces of a function in a VPC; AWS maintains exactly those EC2 actions in this managed policy.',
  });
}
