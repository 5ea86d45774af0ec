// Zod-free on purpose: the review page imports it at run time.
export const reviewSorts = ['w', 'disagreement', 'flags', 'not-rankable', 'prompt'] as const;
