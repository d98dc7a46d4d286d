/**
 * SSM Parameter Store for the local stand-in: parameters in memory, with SSM's paging, versions,
 * ciphertext for SecureStrings read without decryption, and its errors.
 */

export interface StoredParameter {
  readonly name: string;
  readonly type: 'String' | 'SecureString' | 'StringList';
  readonly value: string;
  readonly version: number;
  readonly lastModified: Date;
  /** The KMS key of a SecureString (AWS's default: the AWS managed key alias/aws/ssm). */
  readonly keyId?: string;
}

export class FakeSsm {
  readonly parameters = new Map<string, StoredParameter>();
  /** See FakeAws.emptyPagesFirst. */
  emptyPagesFirst = 0;

  constructor(private readonly clock: () => Date) {}

  put(
    name: string,
    value: string,
    type: StoredParameter['type'] = 'String',
    lastModified = this.clock(),
  ): void {
    const version = (this.parameters.get(name)?.version ?? 0) + 1;
    if (!this.parameters.has(name)) this.listings.clear();
    this.parameters.set(name, { name, type, value, version, lastModified });
  }

  /**
   * Sorted parameter names under a path, cached until a parameter is added or removed, so paging
   * through 10,000 parameters costs the fake O(n), not O(n^2): the benchmark measures the
   * monitor, not its stand-in.
   */
  private readonly listings = new Map<string, { size: number; names: string[] }>();
  private listing(path: string, recursive: boolean): string[] {
    const key = `${recursive}:${path}`;
    const cached = this.listings.get(key);
    // Tests may change `parameters` directly: a different size means the listing is stale.
    if (cached && cached.size === this.parameters.size) return cached.names;
    const names = [...this.parameters.keys()]
      .filter((n) => n.startsWith(`${path}/`) && (recursive || !n.slice(path.length + 1).includes('/')))
      .sort();
    this.listings.set(key, { size: this.parameters.size, names });
    return names;
  }

  /** The status and JSON body of one SSM call. */
  answer(action: string, input: Record<string, unknown>): [number, unknown] {
    switch (action) {
      case 'ssm:GetParametersByPath': {
        const path = String(input.Path).replace(/\/$/, '');
        const all = this.listing(path, input.Recursive === true);
        const max = Math.min(Number(input.MaxResults ?? 10), 10);
        const token = String(input.NextToken ?? '0');
        if (token.startsWith('empty-') || (token === '0' && this.emptyPagesFirst > 0 && all.length > 0)) {
          const n = token.startsWith('empty-') ? Number(token.slice(6)) : 0;
          return [
            200,
            { Parameters: [], NextToken: n + 1 < this.emptyPagesFirst ? `empty-${n + 1}` : '0-real' },
          ];
        }
        const start = Number(token.replace(/-real$/, ''));
        const page = all.slice(start, start + max).map((n) => this.parameters.get(n) as StoredParameter);
        return [
          200,
          {
            Parameters: page.map((p) => this.describe(p, input.WithDecryption === true)),
            ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
          },
        ];
      }
      case 'ssm:GetParameters': {
        const names = input.Names as string[];
        if (names.length > 10) return [400, { __type: 'ValidationException', message: 'at most 10 names' }];
        const found = names.flatMap((n) =>
          this.parameters.has(n) ? [this.parameters.get(n) as StoredParameter] : [],
        );
        return [
          200,
          {
            Parameters: found.map((p) => this.describe(p, input.WithDecryption === true)),
            InvalidParameters: names.filter((n) => !this.parameters.has(n)),
          },
        ];
      }
      case 'ssm:GetParameter': {
        const p = this.parameters.get(String(input.Name));
        if (!p) return [400, { __type: 'ParameterNotFound', message: 'not found' }];
        return [200, { Parameter: this.describe(p, input.WithDecryption === true) }];
      }
      case 'ssm:PutParameter': {
        const name = String(input.Name);
        if (this.parameters.has(name) && input.Overwrite !== true) {
          return [400, { __type: 'ParameterAlreadyExists', message: 'exists' }];
        }
        const type = (input.Type as StoredParameter['type']) ?? 'String';
        if (input.KeyId !== undefined && type !== 'SecureString') {
          return [
            400,
            { __type: 'ValidationException', message: 'KeyId is only valid with the SecureString type.' },
          ];
        }
        this.put(name, String(input.Value), type);
        if (type === 'SecureString') {
          const p = this.parameters.get(name) as StoredParameter;
          this.parameters.set(name, { ...p, keyId: String(input.KeyId ?? 'alias/aws/ssm') });
        }
        return [200, { Version: this.parameters.get(name)?.version, Tier: 'Standard' }];
      }
      case 'ssm:DeleteParameters': {
        const names = input.Names as string[];
        if (!Array.isArray(names) || names.length < 1 || names.length > 10) {
          return [400, { __type: 'ValidationException', message: 'Names must hold 1 to 10 names' }];
        }
        const deleted = names.filter((n) => this.parameters.delete(n));
        this.listings.clear();
        return [
          200,
          { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) },
        ];
      }
      case 'ssm:DeleteParameter': {
        const existed = this.parameters.delete(String(input.Name));
        this.listings.clear();
        return existed ? [200, {}] : [400, { __type: 'ParameterNotFound', message: 'not found' }];
      }
      default:
        return [400, { __type: 'UnknownOperationException', message: action }];
    }
  }

  private describe(p: StoredParameter, decrypt: boolean) {
    return {
      Name: p.name,
      Type: p.type,
      // Like SSM: a SecureString read without decryption returns ciphertext, never the secret.
      Value: p.type === 'SecureString' && !decrypt ? `AQICAH-ciphertext-${p.version}` : p.value,
      Version: p.version,
      LastModifiedDate: p.lastModified.getTime() / 1000,
      ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${p.name}`,
      DataType: 'text',
    };
  }
}
