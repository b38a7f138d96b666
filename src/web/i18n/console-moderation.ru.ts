import type { consoleModerationEn } from './console-moderation.en.js';

/** The console's moderation pages, in Russian: the same shape as the English. */
export const consoleModerationRu: typeof consoleModerationEn = {
  title: 'Модерация',
};
