/** The console's petitions pages, in English (merged into the catalogue as `consolePetitions`). */
export const consolePetitionsEn = {
  title: 'Petitions',
};
