import { z } from 'zod';

/** A response or prompt id as the pure ranking code sees it: database ids are numbers, ids from files may be strings. */
export type Id = string | number;

/** A ranking is tiers of response ids, best first; a tier of more than one id is a tie. */
export type Ranking<T extends Id = Id> = T[][];

export const idSchema = z.union([z.string().min(1), z.number().int()]);
export const rankingSchema = z.array(z.array(idSchema).min(1, 'a tier needs at least one response')).min(1, 'a ranking needs at least one tier');
