/**
 * The functions are prebuilt (lib/assets.ts, tools/build-assets.ts): what the stack deploys is,
 * byte for byte, the bundle the end-to-end tests run. Nothing is bundled at synth.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { functionLimits } from '../../bench/limits';
import { FUNCTION_NAMES } from '../../lib/assets';
import { assemblyBundle, functionBundle, synthesizeAssembly } from '../../tools/bundle';

const ROOT = path.join(__dirname, '..', '..');

describe('the function code', () => {
  it('is the prebuilt bundle, byte for byte, in the synthesized cloud assembly', () => {
    const outdir = synthesizeAssembly({ slackWebhookSecretName: 'slack/webhook' });
    const pairs: Array<[string, RegExp]> = [
      ['monitor', /^MonitorFunction[0-9A-F]{8}$/],
      ['alarm-relay', /AlarmRelayFunction/],
      ['slack', /SlackForwarder[0-9A-F]{8}$/],
    ];
    expect(pairs.map(([n]) => n).sort()).toEqual([...FUNCTION_NAMES].sort());
    for (const [name, logicalId] of pairs) {
      const deployed = readFileSync(assemblyBundle(outdir, logicalId));
      expect(deployed.equals(readFileSync(functionBundle(name as (typeof FUNCTION_NAMES)[number])))).toBe(
        true,
      );
    }
  });

  it("is what the bench measures: it reads the assembly's template for the function's limits", () => {
    // npm run bench (bench/run.ts) broke silently once when the assembly's layout moved.
    expect(functionLimits(synthesizeAssembly())).toEqual({ memoryMb: 256, timeoutS: 300 });
  });

  it('needs no bundler at synth: esbuild is a development dependency only', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies.esbuild).toBeUndefined();
    expect(pkg.devDependencies.esbuild).toBeDefined();
    // Nothing the package ships loads a bundler.
    const shipped = ['lib', 'core', 'adapters', 'functions', 'cli'].flatMap((dir) =>
      readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(dir, f)),
    );
    const bundling = shipped.filter((f) =>
      /from '(esbuild|aws-cdk-lib\/aws-lambda-nodejs)'/.test(readFileSync(path.join(ROOT, f), 'utf8')),
    );
    expect(shipped.length).toBeGreaterThan(50);
    expect(bundling).toEqual([]);
  });
});
