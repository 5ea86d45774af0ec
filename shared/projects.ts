import { z } from 'zod';
import { criteriaSchema, criterionSchema, defaultCriteria } from './criteria.ts';
import { capIssue, qualityDefaults, qualitySettingsShape } from './quality.ts';

export const createProjectSchema = z.object({
  name: z.string().trim().min(1, 'a project needs a name').max(200),
  guidelines: z.string().max(100_000).default(''),
  responsesPerPrompt: z.number().int().min(2, 'K is at least 2').max(9, 'K is at most 9'),
  labelersPerPrompt: z.number().int().min(1, 'R is at least 1').max(50),
  allowTies: z.boolean().default(true),
  leaseMinutes: z.number().int().min(1).max(24 * 60).default(30),
  criteria: criteriaSchema.default(defaultCriteria),
  goldRate: qualitySettingsShape.goldRate.default(qualityDefaults.goldRate),
  goldMinTasks: qualitySettingsShape.goldMinTasks.default(qualityDefaults.goldMinTasks),
  goldMinTauB: qualitySettingsShape.goldMinTauB.default(qualityDefaults.goldMinTauB),
  /** Left out: R, so adaptive overlap is off. */
  maxLabelersPerPrompt: qualitySettingsShape.maxLabelersPerPrompt.optional(),
  minKendallW: qualitySettingsShape.minKendallW.default(qualityDefaults.minKendallW),
}).superRefine((p, ctx) => {
  const issue = capIssue(p.maxLabelersPerPrompt, p.labelersPerPrompt);
  if (issue) ctx.addIssue(issue);
});
export type CreateProjectInput = z.infer<typeof createProjectSchema>;
/** What a caller sends: defaults (ties allowed, 30-minute leases, the one Overall criterion) may be left out. */
export type CreateProjectRequest = z.input<typeof createProjectSchema>;

export const addMemberSchema = z.object({ userId: z.number().int().positive() });
/** Someone the caller may add to a project: any enabled account for an admin, enabled labelers for a lead. */
export type MemberCandidate = { id: number; username: string; role: 'admin' | 'lead' | 'labeler' };

export const projectSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  guidelines: z.string(),
  responsesPerPrompt: z.number().int(),
  labelersPerPrompt: z.number().int(),
  allowTies: z.boolean(),
  leaseMinutes: z.number().int(),
  criteria: z.array(criterionSchema),
  ...qualitySettingsShape,
  /** How many of its prompts carry a known order (gold); they are tests of labelers, never data. */
  goldPrompts: z.number().int(),
  createdAt: z.string(),
});
export type Project = z.infer<typeof projectSchema>;

export const projectProgressSchema = z.object({
  prompts: z.number().int(),
  rankablePrompts: z.number().int(),
  rankingsDone: z.number().int(),
  rankingsNeeded: z.number().int(),
  completePrompts: z.number().int(),
  openAssignments: z.number().int(),
  /**
   * `excluded`: a lead excluded this labeler; their rankings no longer count and the pool gives them no tasks.
   * `paused`: why they are paused on this project (their gold score, or a lead), null when they are not.
   */
  labelers: z.array(z.object({ userId: z.number().int(), username: z.string(), rankings: z.number().int(), skips: z.number().int(), excluded: z.boolean(), paused: z.string().nullable() })),
});
export type ProjectProgress = z.infer<typeof projectProgressSchema>;

export const projectWithProgressSchema = projectSchema.extend({ progress: projectProgressSchema, myRole: z.enum(['lead', 'labeler']) });
export type ProjectWithProgress = z.infer<typeof projectWithProgressSchema>;
