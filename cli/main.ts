#!/usr/bin/env node
/**
 * `scim-token-monitor`: the operator CLI. Register, inspect, check and remove SCIM token
 * registrations, and send a test alert, against SSM or offline against a JSON file.
 */
// First: settles the process environment before any AWS SDK module is loaded.
import './environment';
import { inspect } from 'node:util';
import { Command, CommanderError } from 'commander';
import { DEFAULTS } from '../core/contract';
import { MAX_VALIDITY_DAYS } from '../core/registration';
import { version } from '../package.json';
import { check, checkFormat } from './check';
import { type CliContext, parseAt, register, remove, testAlert } from './commands';
import { type Deployment, findDeployment } from './deployment';
import { doctor } from './doctor';
import { EXIT, explain, UsageError } from './errors';
import { checkTokenNameShape } from './names';
import { forTerminal, terminal } from './output';
import { fileRegistry, ssmRegistry } from './registry';
import { readSecret } from './secret-input';
import { status } from './status';

interface GlobalOptions {
  registry?: string;
  region?: string;
  profile?: string;
  stackName?: string;
  prefix?: string;
  ledgerTable?: string;
  thresholds?: string;
  defaultValidityDays?: string;
  debug?: boolean;
}

function withSlash(path: string, flag: string): string {
  if (!path.startsWith('/')) throw new UsageError(`${flag} must start with "/", got "${path}".`);
  return path.endsWith('/') ? path : `${path}/`;
}

/** `--thresholds`, checked. */
function thresholdsFlag(text: string): number[] {
  const days = text.split(',').map((t) => Number(t.trim()));
  if (days.some((t) => !Number.isInteger(t) || t <= 0)) {
    throw new UsageError(
      `--thresholds "${text}" must be positive whole numbers of days separated by commas.`,
    );
  }
  return [...new Set(days)].sort((a, b) => b - a);
}

/** `--default-validity-days`, checked. */
function validityFlag(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new UsageError(
      `--default-validity-days "${text}" must be a whole number from 1 to ${MAX_VALIDITY_DAYS} (IAM Identity Center issues SCIM tokens for one year).`,
    );
  }
  return days;
}

/** A note on stderr, so scripts reading stdout are not disturbed. */
function notice(text: string): void {
  process.stderr.write(`scim-token-monitor: note: ${forTerminal(text)}\n`);
}

/**
 * A setting: the flag when given, else the deployment's, else the default. A flag that disagrees
 * with the deployment is used, and said (on stderr, so scripts reading stdout are not disturbed).
 */
function setting<T>(
  flag: string,
  given: T | undefined,
  deployed: T | undefined,
  fallback: T,
  deployment: Deployment | undefined,
): T {
  if (given === undefined) return deployed ?? fallback;
  if (deployed !== undefined && JSON.stringify(given) !== JSON.stringify(deployed)) {
    notice(
      `${flag} ${String(given)} differs from the deployment's ${String(deployed)} (${deployment?.parameterName ?? ''}): using ${flag}.`,
    );
  }
  return given;
}

async function context(command: Command, at?: string): Promise<CliContext> {
  const g = command.optsWithGlobals<GlobalOptions>();
  // Every argument is checked before anything is read: bad input costs no AWS call.
  const now = parseAt(at, new Date());
  // The SDK reads these when the first client is made, which happens only after this point.
  if (g.region) process.env.AWS_REGION = g.region;
  if (g.profile) process.env.AWS_PROFILE = g.profile;
  if (!g.registry) await checkProfile(g.profile ? '--profile' : 'AWS_PROFILE');
  const thresholds = g.thresholds === undefined ? undefined : thresholdsFlag(g.thresholds);
  const validity = g.defaultValidityDays === undefined ? undefined : validityFlag(g.defaultValidityDays);
  const given = g.prefix === undefined ? undefined : withSlash(g.prefix, '--prefix');
  // The deployed monitor's own settings (none offline, with --registry).
  const deployment = g.registry ? undefined : await findDeployment(g.stackName);
  const deployed = deployment?.settings;
  const prefix = setting('--prefix', given, deployed?.parameterPrefix, DEFAULTS.parameterPrefix, deployment);
  const ledgerTable = setting(
    '--ledger-table',
    g.ledgerTable,
    deployed?.ledgerTableName,
    undefined,
    deployment,
  );
  return {
    registry: g.registry ? fileRegistry(g.registry, prefix) : await ssmRegistry(prefix, ledgerTable),
    config: {
      registryPrefix: prefix,
      thresholdsDays: setting(
        '--thresholds',
        thresholds,
        deployed?.thresholdsDays,
        [...DEFAULTS.thresholdsDays],
        deployment,
      ),
      validityDays: setting(
        '--default-validity-days',
        validity,
        deployed?.validityDays,
        DEFAULTS.validityDays,
        deployment,
      ),
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '',
      ...(deployed?.pageWithinDays !== undefined ? { pageWithinDays: deployed.pageWithinDays } : {}),
      ...(deployed?.dailyRemindersWithinDays !== undefined
        ? { dailyRemindersWithinDays: deployed.dailyRemindersWithinDays }
        : {}),
      ...(deployed?.scheduleTimeZone ? { scheduleTimeZone: deployed.scheduleTimeZone } : {}),
    },
    ...(deployment ? { deployment } : {}),
    out: terminal(),
    now,
    readSecret: (prompt) => secretReader(prompt),
    notice,
  };
}

export function program(): Command {
  const cli = new Command('scim-token-monitor')
    .description(
      'Register, inspect and check IAM Identity Center SCIM access tokens watched by scim-token-monitor.',
    )
    .version(version)
    .option(
      '--registry <file>',
      'use a local JSON registry (token name -> registration) instead of SSM: works offline',
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION or your profile)')
    .option('--profile <profile>', 'AWS profile (default: AWS_PROFILE)')
    .option(
      '--stack-name <name>',
      'the stack the monitor is deployed in (default: the only monitor in the region, or the ScimTokenMonitor stack)',
    )
    .option(
      '--prefix <path>',
      `SSM path of the registry (default: as deployed, else ${DEFAULTS.parameterPrefix})`,
    )
    .option(
      '--ledger-table <name>',
      "the monitor's DynamoDB ledger, where alert state lives (default: as deployed)",
    )
    .option(
      '--thresholds <days>',
      `alert thresholds in days (default: as deployed, else ${DEFAULTS.thresholdsDays.join(',')})`,
    )
    .option(
      '--default-validity-days <days>',
      `token validity when a registration gives none (default: as deployed, else ${DEFAULTS.validityDays})`,
    )
    .option('--debug', 'on failure, print the stack trace and the whole AWS error')
    .showHelpAfterError()
    .exitOverride();

  cli
    .command('register <name>')
    .description('register a token (validated exactly as the monitor validates it)')
    .option(
      '--created-at <date>',
      'when the token was generated: YYYY-MM-DD, a date-time with Z or an offset, or "today"',
    )
    .option('--expires-at <date>', 'the expiry the console shows (overrides created-at + validity)')
    .option('--validity-days <days>', `validity of this token in days (1..${MAX_VALIDITY_DAYS})`)
    .option('--token-id <id>', 'the token ID the console shows')
    .option(
      '--identity-provider <idp>',
      'where the token is pasted, for the rotation steps: okta, entra-id (or azure-ad), google, onelogin, jumpcloud, secureauth, or any other name (any case)',
    )
    .option('--instance-arn <arn>', 'the IAM Identity Center instance ARN')
    .option('--owner <owner>', 'who rotates it')
    .option('--notes <notes>', 'free text shown in alerts')
    .option(
      '--overwrite',
      'replace an existing registration (after a rotation): owner, notes, instance and identity provider are kept unless given',
    )
    .option(
      '--verify',
      'read the new token from standard input and register only if the SCIM endpoint accepts it',
    )
    .option(
      '--scim-endpoint <url>',
      'the SCIM endpoint shown in IAM Identity Center (https://scim.<region>.amazonaws.com/<tenant>/scim/v2/)',
    )
    .option('--store-token', 'keep the verified token as a SecureString registration (implies --verify)')
    .option(
      '--kms-key <key>',
      "with --store-token: the customer-managed KMS key (ID, ARN or alias) to encrypt it with (default: the deployment's token key)",
    )
    .option(
      '--allow-aws-managed-key',
      'with --store-token: store it under the AWS managed key aws/ssm, which every principal of the account allowed to read the parameter can decrypt with',
    )
    .action((name: string, opts, command: Command) =>
      run(async () => {
        checkTokenNameShape(name);
        await register(await context(command), name, opts);
      }),
    );

  cli
    .command('status')
    .description('every registered token, sorted by expiry, with the last alert sent and the next one due')
    .option('--json', 'machine-readable output')
    .option('--wide', 'also the provider, token ID, creation date and AWS Health columns')
    .option('--at <date>', 'as of this date or date-time instead of now')
    .action((opts, command: Command) => run(async () => status(await context(command, opts.at), opts)));

  cli
    .command('check')
    .description(
      "run the monitor's evaluation and print the alerts it would send (publishes and writes nothing)",
    )
    .option('--at <date>', 'evaluate at this date or date-time instead of now (e.g. 2027-01-08)')
    .option(
      '--format <format>',
      'what each channel would receive: email (subject and text), chat (Chatbot and Slack webhook JSON), json (the alert JSON)',
      'email',
    )
    .option('--json', 'the same as --format json')
    .action((opts, command: Command) =>
      run(async () => {
        checkFormat(opts.format);
        await check(await context(command, opts.at), opts);
      }),
    );

  cli
    .command('test-alert')
    .description(
      'publish a clearly marked test alert through the real topic, to check email, Slack and Teams',
    )
    .option('--topic-arn <arn>', 'the alert topic (default: as deployed)')
    .action((opts, command: Command) => run(async () => testAlert(await context(command), opts)));

  cli
    .command('doctor')
    .description(
      'check that the deployed monitor reaches someone: subscribers, alarm actions, schedule, last run, registry, probe',
    )
    .option(
      '--max-hours <hours>',
      'hours without a successful run that count as a failure (default: as deployed)',
    )
    .option('--json', 'machine-readable output')
    .action((opts, command: Command) =>
      run(async () => {
        if (command.optsWithGlobals<GlobalOptions>().registry) {
          throw new UsageError('doctor checks the deployed stack: it does not work with --registry.');
        }
        await doctor(await context(command), opts);
      }),
    );

  cli
    .command('remove <name>')
    .description('deregister a token (after deleting the old token in the console) and drop its alert state')
    .action((name: string, _opts, command: Command) =>
      run(async () => {
        checkTokenNameShape(name);
        await remove(await context(command), name);
      }),
    );

  return cli;
}

/** The exit code of the command being run (set when its action fails). */
let failure: number | undefined;
/** Where secrets come from: standard input, or what a test supplies. */
let secretReader: (prompt: string) => Promise<string> = readSecret;

/** --debug, read from argv so that even a failure while parsing options honours it. */
let debug = false;

function report(error: unknown): number {
  const { message, exitCode } = explain(error);
  process.stderr.write(`scim-token-monitor: ${forTerminal(message)}\n`);
  if (debug) process.stderr.write(`${inspect(error, { depth: 6 })}\n`);
  return exitCode;
}

function run(action: () => Promise<void>): Promise<void> {
  return action().catch((error: unknown) => {
    failure = report(error);
  });
}

/**
 * A named profile must exist before the SDK is asked for credentials: the SDK's own failure
 * ("Could not load credentials from any providers") does not say that the profile is the problem.
 */
async function checkProfile(source: string): Promise<void> {
  const profile = process.env.AWS_PROFILE;
  if (!profile) return;
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  if (profile in configFile || profile in credentialsFile) return;
  throw new UsageError(
    `AWS profile "${profile}" (from ${source}) is not defined in ${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'} or ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}: \`aws configure list-profiles\` lists the ones you have.`,
  );
}

/** Runs the CLI with `argv` (without node and script) and resolves to its exit code. */
export async function main(
  argv: readonly string[],
  io: { readonly readSecret?: (prompt: string) => Promise<string> } = {},
): Promise<number> {
  failure = undefined;
  debug = argv.includes('--debug');
  secretReader = io.readSecret ?? readSecret;
  // No command: the help, on stderr, as a usage error (a script that forgot its command fails).
  const cli = program();
  if (
    !argv.some((a) => !a.startsWith('-')) &&
    !argv.some((a) => ['--help', '-h', '--version', '-V'].includes(a))
  ) {
    process.stderr.write(cli.helpInformation());
    return EXIT.usage;
  }
  try {
    await cli.parseAsync([...argv], { from: 'user' });
    return failure ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version are successes; any other parse error is a usage error.
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? EXIT.ok
        : EXIT.usage;
    }
    return report(error);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
