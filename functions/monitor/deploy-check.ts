/**
 * The check on deploy, without a provider function of CDK's (whose log group the stack would not
 * own): CloudFormation invokes the monitor itself as a custom resource when the stack is created
 * and whenever the function changes. The monitor runs its check at the current time (a dry run:
 * it proves the deployment reads what it must and sends nothing) and answers CloudFormation on the
 * response URL. The answer is always SUCCESS, as the deploy-time check never failed a deployment;
 * a check that failed then fails the invocation, so the monitor's errors alarm says so.
 */

import type { Logger } from '@aws-lambda-powertools/logger';

/** What CloudFormation sends a custom resource's function. */
export interface CloudFormationEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

export function isCloudFormationEvent(event: unknown): event is CloudFormationEvent {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return (
    ['Create', 'Update', 'Delete'].includes(String(e.RequestType)) &&
    typeof e.ResponseURL === 'string' &&
    typeof e.StackId === 'string' &&
    typeof e.RequestId === 'string' &&
    typeof e.LogicalResourceId === 'string'
  );
}

/** The one physical ID: nothing is created, so there is nothing to replace or delete. */
export const CHECK_RESOURCE_ID = 'scim-token-monitor-deploy-check';

type Log = Pick<Logger, 'info' | 'error'>;

/** Answers CloudFormation (a PUT of the response document to the presigned URL it gave). */
async function respond(event: CloudFormationEvent, reason: string, log: Log): Promise<void> {
  const body = JSON.stringify({
    Status: 'SUCCESS',
    Reason: reason.slice(0, 1000),
    PhysicalResourceId: CHECK_RESOURCE_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: {},
  });
  try {
    const res = await fetch(event.ResponseURL, {
      method: 'PUT',
      // The presigned URL is signed for no content type.
      headers: { 'content-type': '' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    log.info('answered CloudFormation', { status: res.status, requestType: event.RequestType });
  } catch (error) {
    // CloudFormation then waits for its own timeout: say why, loudly.
    log.error('could not answer CloudFormation on its response URL', { error: (error as Error).name });
  }
}

/** Runs `check` for Create and Update, nothing for Delete, and always answers CloudFormation. */
export async function deployCheck<T>(
  event: CloudFormationEvent,
  check: () => Promise<T>,
  log: Log,
): Promise<T | undefined> {
  if (event.RequestType === 'Delete') {
    await respond(event, 'Nothing to delete.', log);
    return undefined;
  }
  try {
    const result = await check();
    await respond(event, 'The monitor checked the registry (a dry run: nothing sent).', log);
    return result;
  } catch (error) {
    await respond(
      event,
      `The deploy-time check failed (${(error as Error).name}): the monitor's errors alarm fires; see its log group.`,
      log,
    );
    throw error;
  }
}
