/**
 * What the monitor tells the CLI about itself: one SSM String parameter,
 * `/scim-token-monitor/deployments/<stack name>/<construct path>`, holding its settings as JSON
 * (core/contract.ts `DeploymentSettings`). The CLI reads it, so `status`, `check`, `doctor`,
 * `test-alert` and `remove` need no flags for a monitor deployed with other thresholds, another
 * registry prefix, or inside any stack. Names and ARNs only: nothing secret.
 */
import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DEPLOYMENT_SETTINGS, type DeploymentSettings } from '../../core/contract';

export interface DeploymentSettingsProps {
  /** The settings to publish (tokens such as the topic's ARN resolve at deploy). */
  readonly settings: Omit<DeploymentSettings, 'version' | 'stackName'>;
  /** Whose settings they are: the construct that owns them names the parameter. */
  readonly owner: Construct;
}

/** SSM accepts letters, digits and `_.-` between slashes; anything else in a construct path becomes `-`. */
function pathPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '-');
}

export class DeploymentSettingsParameter extends Construct {
  public readonly parameter: ssm.IStringParameter;

  constructor(scope: Construct, id: string, props: DeploymentSettingsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const within = props.owner.node.path
      .slice(stack.node.path.length + 1)
      .split('/')
      .map(pathPart)
      .join('/');
    const settings: DeploymentSettings = { version: 1, stackName: stack.stackName, ...props.settings };
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: `${DEPLOYMENT_SETTINGS.path}${pathPart(stack.stackName)}/${within}`,
      description: 'scim-token-monitor: this deployment’s settings, for the scim-token-monitor CLI',
      stringValue: stack.toJsonString(settings),
      // Standard (free) while the settings fit its 4 KB; a long healthSourceAccounts list makes it
      // Advanced rather than failing the deploy.
      tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    });
  }
}
