/** The console's moderation pages, in English (merged into the catalogue as `consoleModeration`). */
export const consoleModerationEn = {
  title: 'Moderation',
};
