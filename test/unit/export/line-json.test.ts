import { describe, expect, it } from 'vitest';
import { exportJsonForPrompt, exportLinesForPrompt, exportPass, exportSettingsSchema } from '../../../server/export/export-lines.ts';
import type { ExportPrompt } from '../../../server/export/export-types.ts';
import { exportFormatSchema } from '../../../server/export/format-registry.ts';

/*
 * The file's lines are assembled from a prompt's texts serialised once (formats/line-json.ts); the preview and the
 * documented shapes come from the line objects. Both must be the same bytes, whatever the texts hold: quotes,
 * backslashes, control characters, line separators, astral characters, a lone surrogate, null models, string ids,
 * and the float means and agreements of three labelers with ties.
 */
const awkward: ExportPrompt = {
  id: 'p-"1"',
  externalId: 'ext\\id\u2028"x"',
  messages: [
    { role: 'system', content: 'Rules:\n\t"quote" \\ back\u0000slash' },
    { role: 'user', content: 'Émoji 🎉 and \u2029 and \u0085 and \ud800 lone' },
    { role: 'assistant', content: '</script> <b>' },
    { role: 'user', content: 'Again?' },
  ],
  responses: [
    { id: 1, text: 'One "quoted"\nline', model: null },
    { id: 'two', text: '\u2028split\u2029', model: 'm\u0001' },
    { id: 3, text: '  spaced   out ', model: 'sft-v2' },
    { id: 4, text: 'x'.repeat(3000), model: 'sft-v1' },
  ],
  rankings: [
    { labeler: 1, ranking: [[1], ['two', 3], [4]] },
    { labeler: 2, ranking: [[3], [1], [4], ['two']] },
    { labeler: 'c', ranking: [[1, 4], [3], ['two']] },
  ],
};

const plain: ExportPrompt = {
  id: 9,
  externalId: null,
  messages: [{ role: 'user', content: 'Name a colour.' }],
  responses: [
    { id: 20, text: 'Green.', model: 'a' },
    { id: 21, text: 'Blue.', model: 'b' },
    { id: 22, text: 'Red, I think.', model: null },
  ],
  rankings: [
    { labeler: 1, ranking: [[20], [21], [22]] },
    { labeler: 2, ranking: [[21], [20, 22]] },
  ],
};

// Read under a criterion, as every export from a project is: the provenance and rankings lines name it ("a \"key\"" is no
// valid key, but the text must survive whatever it holds).
const underCriterion: ExportPrompt = { ...plain, criterion: 'harm"less\\', criteriaKeys: ['help', 'harm"less\\'] };

describe('export lines as JSON text', () => {
  for (const format of exportFormatSchema.options) {
    for (const metadata of [true, false]) {
      it(`writes JSON.stringify of each ${format} line (metadata=${String(metadata)}) for awkward texts and ids`, () => {
        for (const prompt of [awkward, plain, underCriterion]) {
          for (const strategy of ['all', 'best-worst'] as const) {
            const settings = exportSettingsSchema.parse({ format, strategy, metadata: String(metadata) });
            const objects = exportLinesForPrompt(prompt, settings);
            expect(objects.length).toBeGreaterThan(0);
            expect(exportJsonForPrompt(prompt, settings, exportPass())).toEqual(objects.map((line) => JSON.stringify(line)));
          }
        }
      });
    }
  }
});
