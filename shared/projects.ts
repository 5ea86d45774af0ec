import { z } from 'zod';

export const createProjectSchema = z.object({
  name: z.string().trim().min(1, 'a project needs a name').max(200),
  guidelines: z.string().max(100_000).default(''),
  responsesPerPrompt: z.number().int().min(2, 'K is at least 2').max(9, 'K is at most 9'),
  labelersPerPrompt: z.number().int().min(1, 'R is at least 1').max(50),
  allowTies: z.boolean().default(true),
  leaseMinutes: z.number().int().min(1).max(24 * 60).default(30),
});
export type CreateProjectInput = z.infer<typeof createProjectSchema>;

export const addMemberSchema = z.object({ userId: z.number().int().positive() });
/** Someone the caller may add to a project: any enabled account for an admin, enabled labelers for a lead. */
export type MemberCandidate = { id: number; username: string; role: 'admin' | 'lead' | 'labeler' };

export type Project = {
  id: number;
  name: string;
  guidelines: string;
  responsesPerPrompt: number;
  labelersPerPrompt: number;
  allowTies: boolean;
  leaseMinutes: number;
  createdAt: string;
};

export type ProjectProgress = {
  prompts: number;
  rankablePrompts: number;
  rankingsDone: number;
  rankingsNeeded: number;
  completePrompts: number;
  openAssignments: number;
  /** `excluded`: a lead excluded this labeler; their rankings no longer count and the pool gives them no tasks. */
  labelers: { userId: number; username: string; rankings: number; skips: number; excluded: boolean }[];
};

export type ProjectWithProgress = Project & { progress: ProjectProgress; myRole: 'lead' | 'labeler' };
