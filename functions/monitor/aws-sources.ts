/**
 * The Lambda's sources: SSM, the ledger table, IAM Identity Center. Its own module, so that
 * whoever imports the evaluation (the CLI's offline commands) does not load the SDK clients.
 */
import { readStates } from '../../adapters/ledger';
import { registryPages } from '../../adapters/ssm';
import { listInstances } from '../../adapters/sso-admin';
import type { MonitorSources } from './run';

export function awsSources(ledgerTable: string): MonitorSources {
  return { registryPages, readStates: (keys) => readStates(ledgerTable, keys), listInstances };
}
