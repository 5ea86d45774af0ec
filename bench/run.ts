export {};
// `npm run bench -- NAME`: runs one benchmark; its last line of output is one JSON object.
const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  labeling: async () => (await import('./labeling.ts')).runLabelingBench(),
  export: async () => (await import('./export.ts')).runExportBench(),
  agreement: async () => (await import('./agreement.ts')).runAgreementBench(),
  client: async () => (await import('./client.ts')).runClientBench(),
  sampling: async () => (await import('./sampling.ts')).runSamplingBench(),
  leaderboard: async () => (await import('./leaderboard.ts')).runLeaderboardBench(),
  quality: async () => (await import('./quality.ts')).runQualityBench(),
  'import-junk': async () => (await import('./import-junk.ts')).runImportJunkBench(),
  'import-large': async () => (await import('./import-large.ts')).runImportLargeBench(),
};

const name = process.argv[2];
const names = name ? [name] : Object.keys(benches);
for (const n of names) {
  const bench = benches[n];
  if (!bench) {
    console.error(`unknown bench "${n}"; one of: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(JSON.stringify(await bench()));
}
