// The server's maximum length, in characters, of each text people type.
// Each line names the api/openapi.yaml schema member it copies;
// api/docs_test.go (TestWebLimitsMatchTheDocument) fails when one of them and the document differ.
export const LIMITS = {
  organization: 200, // openapi: SignupRequest.organization
  personName: 200, // openapi: NewUserRequest.name
  email: 254, // openapi: Email
  password: 1024, // openapi: NewPassword
  examTitle: 200, // openapi: ExamDocument.title
  examDescription: 20000, // openapi: ExamDocument.description
  trackLabel: 50, // openapi: ExamDocument.track_labels.*
  sectionTitle: 200, // openapi: Section.title
  instructions: 5000, // openapi: Section.instructions
  prompt: 20000, // openapi: EssayQuestion.prompt
  explanation: 20000, // openapi: EssayQuestion.explanation
  referenceAnswer: 20000, // openapi: EssayQuestion.reference_answer
  optionText: 2000, // openapi: Option.text
  criterion: 2000, // openapi: RubricItem.criterion
  candidateName: 200, // openapi: NewInvitation.candidate_name
  reviewComment: 10000, // openapi: ScoreRequest.comment
} as const;

/** Length as the server counts it: Unicode code points, not UTF-16 units. */
export function charCount(s: string): number {
  return Array.from(s).length;
}
