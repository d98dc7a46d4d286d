/**
 * Where the CLI reads and writes registrations: SSM Parameter Store (the deployed monitor's
 * registry), or a local JSON file mapping each token name to the same registration object, so the
 * whole evaluation can be tried with no AWS account.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type HealthRecord, parseHealthRecord } from '../core/health';
import type { MonitorSources } from '../core/ports';
import type { RegistryParameter } from '../core/registration';
import { probeStateKey, tokenStateKey } from '../core/state';
import { CliError, UsageError } from './errors';
import { tokenNameProblem } from './names';

export interface Registry {
  /** For messages: where the registrations live. */
  readonly where: string;
  /** Whether alert state can be read (a ledger is known): false offline or with no monitor found. */
  readonly alertState: boolean;
  readonly sources: MonitorSources;
  /** Writes a registration; refuses to replace one unless `overwrite`. */
  put(name: string, value: string, overwrite: boolean): Promise<void>;
  /** The current value of a String registration, if there is one. */
  get(name: string): Promise<string | undefined>;
  /** Removes a registration and the monitor's state for it. */
  remove(name: string): Promise<void>;
  /** What AWS Health announced and the monitor recorded (none for a file registry). */
  healthRecords(): Promise<HealthRecord[]>;
  /** Keeps the token itself as a SecureString registration (SSM only). */
  /** Keeps the token as a SecureString, under `kmsKey` (a key ID, ARN or alias) or else aws/ssm. */
  putSecureToken?(name: string, token: string, overwrite: boolean, kmsKey?: string): Promise<void>;
}

/**
 * A JSON file standing in for SSM, and behaving like it: a missing file is an error (only
 * `register` creates one), every name SSM would accept works and nothing else does (the file is
 * read into a Map, so `constructor` or `__proto__` are names like any other), and names that SSM
 * would refuse are reported, not skipped.
 */
export function fileRegistry(file: string, prefix: string): Registry {
  const load = (createIfMissing = false): Map<string, unknown> => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        if (createIfMissing) return new Map();
        throw new UsageError(`No registry file at ${file}: check the path (register creates a new one).`);
      }
      throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`${file} must hold a JSON object mapping each token name to its registration.`);
    }
    const entries = new Map(Object.entries(parsed));
    const bad = [...entries.keys()].flatMap((name) => tokenNameProblem(name, prefix) ?? []);
    if (bad.length > 0) throw new UsageError(`${file}: ${bad.join(' ')}`);
    return entries;
  };
  const save = (registry: Map<string, unknown>) =>
    writeFileSync(file, `${JSON.stringify(Object.fromEntries(registry), null, 2)}\n`);
  return {
    where: file,
    alertState: false,
    sources: {
      // The whole file is one page.
      async *registryPages(): AsyncGenerator<RegistryParameter[]> {
        yield [...load()].map(([name, value]) => ({
          name: `${prefix}${name}`,
          type: 'String',
          // The same value SSM would hold: a JSON object, or a bare date string.
          value: typeof value === 'string' ? value : JSON.stringify(value),
          version: 1,
        }));
      },
      // A file registry keeps no alert state: every evaluation starts fresh.
      async readStates() {
        return new Map<string, string>();
      },
    },
    async put(name, value, overwrite) {
      const registry = load(true);
      if (registry.has(name) && !overwrite) {
        throw new CliError(`Token ${name} is already registered in ${file}; pass --overwrite to replace it.`);
      }
      registry.set(name, JSON.parse(value));
      save(registry);
    },
    async get(name) {
      const value = load(true).get(name);
      return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    },
    async healthRecords() {
      return [];
    },
    async remove(name) {
      const registry = load();
      if (!registry.delete(name)) throw new CliError(`No token named ${name} in ${file}.`);
      save(registry);
    },
  };
}

/**
 * The registry in SSM. Alert state lives in the monitor's ledger table (undefined when no monitor
 * is deployed here: state is then unknown, and said so, and nothing else breaks).
 */
export async function ssmRegistry(prefix: string, table: string | undefined): Promise<Registry> {
  // Loaded only when AWS is used, after --region/--profile are in the environment.
  const { awsSources } = await import('../functions/monitor/aws-ports');
  const ledger = await import('../adapters/ledger');
  const { ssm } = await import('../adapters/ssm');
  const { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } = await import(
    '@aws-sdk/client-ssm'
  );
  const aws = awsSources('');
  const write = async (
    name: string,
    value: string,
    type: 'String' | 'SecureString',
    overwrite: boolean,
    kmsKey?: string,
  ) => {
    try {
      await ssm.send(
        new PutParameterCommand({
          Name: `${prefix}${name}`,
          Value: value,
          Type: type,
          Overwrite: overwrite,
          ...(kmsKey ? { KeyId: kmsKey } : {}),
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ParameterAlreadyExists') {
        throw new CliError(
          `Token ${name} is already registered (${prefix}${name}); pass --overwrite to replace it.`,
        );
      }
      if (type === 'String') throw error;
      // A validation message could quote the value: keep the error's kind, drop its words.
      const e = error as Error & { $metadata?: unknown };
      throw Object.assign(new Error(`storing the token in ${prefix}${name} failed (${e.name})`), {
        name: e.name,
        $metadata: e.$metadata,
      });
    }
  };
  return {
    where: `SSM ${prefix}`,
    alertState: table !== undefined,
    sources: {
      ...aws,
      async readStates(keys) {
        return table ? ledger.readStates(table, keys) : new Map<string, string>();
      },
    },
    put: (name, value, overwrite) => write(name, value, 'String', overwrite),
    async get(name) {
      try {
        const res = await ssm.send(
          new GetParameterCommand({ Name: `${prefix}${name}`, WithDecryption: false }),
        );
        return res.Parameter?.Type === 'String' ? res.Parameter.Value : undefined;
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') return undefined;
        throw error;
      }
    },
    putSecureToken: (name, token, overwrite, kmsKey) => write(name, token, 'SecureString', overwrite, kmsKey),
    async healthRecords() {
      if (!table) return [];
      const records = await ledger.scanStates(table, 'health/');
      return [...records.values()].flatMap((v) => parseHealthRecord(v) ?? []);
    },
    async remove(name) {
      try {
        await ssm.send(new DeleteParameterCommand({ Name: `${prefix}${name}` }));
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') {
          throw new CliError(`No token named ${name} under ${prefix}.`);
        }
        throw error;
      }
      // Its alert state goes with it, so a later token of the same name starts afresh.
      if (table) await ledger.deleteStates(table, [tokenStateKey(name), probeStateKey(name)]);
    },
  };
}
