// The texts of the candidate's thank-you page (pages/take/Done.tsx) and of
// the submit confirmation, both languages: they travel in that page's
// chunk, which is fetched after the first question shows (the submit
// button waits for it too), and join the dictionaries when it loads. `zhDone`
// is typed against `enDone`: a key missing from either does not compile.

export const enDone = {
  'take.confirmBody': 'You have answered {n} of {total} questions.',
  'take.confirmSubmit': 'Submit now',
  'take.confirmTitle': 'Submit your answers?',
  'take.keepWorking': 'Keep working',
  'take.failedList': 'Not saved:',
  'take.flaggedList': 'Flagged for review:',
  'take.unansweredList': 'Not answered:',
  'take.alreadySubmitted': 'This exam has been submitted',
  'take.canClose': 'You may close this page.',
  'take.submittedAt': 'Submitted {at}',
  'take.submittedBody': 'Thank you. Your answers are in.',
  'take.submittedTitle': 'Your answers have been submitted',
  'take.timeUp': 'Time is up, submitted',
  'take.timeUpBody': 'The time for this exam is over and your saved answers have been submitted.',
  'take.yourScore': 'Your score: {score} of {max}',
  'take.awaitingReview': 'Awaiting review',
  'take.explanation': 'Explanation',
  'take.fullMarks': 'Full marks',
  'take.notFullMarks': 'Not full marks',
  'take.pointsGot': '{got} pt(s)',
  'take.pointsOf': '{got} of {max} pt(s)',
  'take.review': 'Your answers',
} as const;

export const zhDone: Record<keyof typeof enDone, string> = {
  'take.confirmBody': '您已回答 {total} 题中的 {n} 题。',
  'take.confirmSubmit': '确定交卷',
  'take.confirmTitle': '确定交卷吗？',
  'take.keepWorking': '继续作答',
  'take.failedList': '保存失败：',
  'take.flaggedList': '已标记待查：',
  'take.unansweredList': '未作答：',
  'take.alreadySubmitted': '本次考试已交卷',
  'take.canClose': '您可以关闭此页面了。',
  'take.submittedAt': '交卷时间：{at}',
  'take.submittedBody': '谢谢，您的答案已收到。',
  'take.submittedTitle': '您的答案已提交',
  'take.timeUp': '时间到，已交卷',
  'take.timeUpBody': '本次考试时间已到，您已保存的答案已提交。',
  'take.yourScore': '您的得分：{score} / {max}',
  'take.awaitingReview': '待评阅',
  'take.explanation': '解析',
  'take.fullMarks': '满分',
  'take.notFullMarks': '未得满分',
  'take.pointsGot': '得分 {got}',
  'take.pointsOf': '得分 {got} / {max}',
  'take.review': '答题回顾',
};
