import type { consolePetitionsEn } from './console-petitions.en.js';

/** The console's petitions pages, in Russian: the same shape as the English. */
export const consolePetitionsRu: typeof consolePetitionsEn = {
  title: 'Петиции',
};
