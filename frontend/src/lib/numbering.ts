/**
 * The number (from 1, running through the whole exam) of each section's
 * first question, so that question j of section i is `starts[i] + j`.
 */
export function firstNumbers(sections: readonly { questions: readonly unknown[] }[]): number[] {
  const starts: number[] = [];
  let next = 1;
  for (const s of sections) {
    starts.push(next);
    next += s.questions.length;
  }
  return starts;
}
