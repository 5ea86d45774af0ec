import { z } from 'zod';
import { rankingSchema } from './ranking.ts';

/** What a labeler ranks the responses by; a project has 1 to 5 of them, fixed once a ranking exists. */
export const criterionSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a criterion key is a lowercase letter then up to 31 lowercase letters, digits or hyphens'),
    name: z.string().trim().min(1, 'a criterion needs a name').max(100),
    description: z.string().max(10_000).default(''),
    weight: z.number().positive('a weight is above 0').max(100).default(1),
  })
  .strict();
export type Criterion = z.infer<typeof criterionSchema>;

/** The criterion every project had before criteria existed, so old projects and API calls keep working. */
export const defaultCriteria: Criterion[] = [{ key: 'overall', name: 'Overall', description: '', weight: 1 }];

/** `criterion=combined` on every read, `criterion=all` on agreement: never a project's own criterion key. */
const reservedCriterionKeys: readonly string[] = ['combined', 'all'];

export const criteriaSchema = z
  .array(criterionSchema)
  .min(1, 'a project needs at least one criterion')
  .max(5, 'a project has at most 5 criteria')
  .superRefine((criteria, ctx) => {
    const seen = new Set<string>();
    criteria.forEach((criterion, index) => {
      // Reads take criterion=KEY beside these two views of every criterion, so no criterion may be named like them.
      if (reservedCriterionKeys.includes(criterion.key)) ctx.addIssue({ code: 'custom', message: `"${criterion.key}" is reserved (criterion=${criterion.key} is a view of every criterion): choose another key`, path: [index, 'key'] });
      if (seen.has(criterion.key)) ctx.addIssue({ code: 'custom', message: `criterion key "${criterion.key}" appears twice`, path: [index, 'key'] });
      seen.add(criterion.key);
    });
  });

/** `rankings` on submit: one ranking per criterion key of the project. */
export const criterionRankingsSchema = z.record(z.string(), rankingSchema);
export type CriterionRankings = z.infer<typeof criterionRankingsSchema>;

/** `criterion=` on results, agreement, review, export and the CLI: a key of the project, or the weighted mean of all. */
export const combinedCriterion = 'combined';
/** `criterion=all` on agreement: every criterion's headline figures side by side. */
export const allCriteria = 'all';
export const criterionQuerySchema = z.string().regex(/^([a-z][a-z0-9-]{0,31})$/, 'criterion is a criterion key or "combined"').optional();
