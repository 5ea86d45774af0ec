import { ensureClientBuilt } from '../../server/setup/client-build.ts';

// Build the client once before any test file runs: end-to-end files start products in parallel,
// and each would otherwise rebuild client/dist under the others' feet.
export default async function setup(): Promise<void> {
  await ensureClientBuilt(() => {});
}
