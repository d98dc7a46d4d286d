/** What the CLI reads of the deployed stack: its outputs and its resources (CloudFormation). */
import { CliError } from './errors';

/** The stack `cdk deploy` creates unless told otherwise. */
export const DEFAULT_STACK_NAME = 'ScimTokenMonitor';
/** The stack output naming the ledger table (see lib/scim-token-expiry-monitor.ts). */
export const LEDGER_OUTPUT = 'LedgerTableName';

async function cloudFormation() {
  const sdk = await import('@aws-sdk/client-cloudformation');
  const { CLIENT_CONFIG } = await import('../adapters/client-config');
  return { sdk, client: new sdk.CloudFormationClient(CLIENT_CONFIG) };
}

function noStack(error: unknown, stackName: string, hint: string): never {
  if (/does not exist/.test((error as Error).message)) {
    throw new CliError(`No stack named ${stackName} in this region: ${hint}.`);
  }
  throw error;
}

/** The stack's outputs by key. */
export async function stackOutputs(stackName: string, hint: string): Promise<Record<string, string>> {
  const { sdk, client } = await cloudFormation();
  try {
    const res = await client.send(new sdk.DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries(
      (res.Stacks?.[0]?.Outputs ?? []).flatMap((o) =>
        o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
      ),
    );
  } catch (error) {
    return noStack(error, stackName, hint);
  }
}

/** One output of the default stack, or undefined when no monitor is deployed in this region. */
export async function defaultStackOutput(key: string): Promise<string | undefined> {
  try {
    return (await stackOutputs(DEFAULT_STACK_NAME, 'deploy the monitor first'))[key];
  } catch (error) {
    if (error instanceof CliError) return undefined;
    throw error;
  }
}

/** The stack's resources: logical ID, type and physical ID. */
export async function stackResources(
  stackName: string,
): Promise<Array<{ logicalId: string; type: string; physicalId: string }>> {
  const { sdk, client } = await cloudFormation();
  const out: Array<{ logicalId: string; type: string; physicalId: string }> = [];
  for await (const page of sdk.paginateListStackResources({ client }, { StackName: stackName })) {
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.LogicalResourceId && r.ResourceType && r.PhysicalResourceId) {
        out.push({ logicalId: r.LogicalResourceId, type: r.ResourceType, physicalId: r.PhysicalResourceId });
      }
    }
  }
  return out;
}
