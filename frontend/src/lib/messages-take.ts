// Texts of the candidate's page added for issue 10 (save states, the answer
// sheet, flags, the thank-you page's review), English; the Chinese ones are
// in messages-take-zh.ts. Spread into the candidate's catalogue.

export const enTake = {
  'take.mark.saved': 'Saved',
  'take.mark.waiting': 'Waiting to save',
  'take.mark.failed': 'Not saved',
  'take.mark.unanswered': 'Not answered',
  'take.mark.flagged': 'Flagged',
  'save.waitingCount': '{n} waiting to save',
  'save.offlineCount': 'Offline — {n} waiting to save, retrying',
  'save.failedCount': '{n} not saved',
  'take.flag': 'Flag for review',
  'take.unflag': 'Remove flag',
  'take.sheet': 'Answer sheet',
  'take.sheetClose': 'Close the answer sheet',
  'take.sheetItem': 'Question {n}: {state}',
  'take.sheetLegend': 'Tap a number to go to its question.',
  'take.progressShort': '{n}/{total}',
  'save.short.saved': 'Saved',
  'save.short.saving': 'Saving',
  'save.short.waiting': '{n} waiting',
  'save.short.offline': 'Offline',
  'save.short.failed': '{n} not saved',
  'take.sheetStates': 'What the colours mean',
} as const;
