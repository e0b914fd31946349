// The contract's types, taken from the generated api-types.ts (made from
// api/openapi.yaml by `npm run gen:types`; `make test` fails when it is stale).
// Pages import from here. Where the app works on a looser shape than the wire
// (a question being edited may change type, so every type's members are
// optional on it), that shape is built here from the generated schemas, so a
// field renamed or retyped in the document still breaks the build.
import type { components, operations } from './api-types';

type S = components['schemas'];
type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<Op extends keyof operations> = operations[Op]['responses'] extends { 200: infer R } ? JsonBody<R> : never;

/** Each member of any variant of the union U, optional, with its type in those variants. */
type AllKeys<U> = U extends unknown ? keyof U : never;
type ValueOf<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;
type Flat<U> = { [K in AllKeys<U>]?: ValueOf<U, K> };

export type Role = S['Role'];
export type Organization = S['Organization'];
export type User = S['User'];

export type LoginResponse = S['TokenResponse'];
/** What the session keeps: the token pair of a login or refresh. */
export type TokenPair = Omit<S['TokenResponse'], 'user' | 'token_type'> & { token_type?: string };
export type SignupResponse = S['SignupResponse'];

export interface List<T> {
  items: T[];
}

// ---- exam documents ----

export type QuestionType = S['Question']['type'];

export const QUESTION_TYPES: QuestionType[] = [
  'fill_in',
  'true_false',
  'single_choice',
  'multiple_choice',
  'essay',
];

export type Option = S['Option'];
export type Scoring = S['Scoring'];
export type Blank = S['Blank'];
export type RubricItem = S['RubricItem'];

/**
 * A question as authored, with the members of every type (S['Question'] is
 * the union the API checks); which fields matter depends on `type`.
 */
export type Question = Flat<S['Question']> & { type: QuestionType; prompt: string };

/**
 * A section's draw from the bank: `count` questions, picked per attempt from
 * the bank questions carrying any of `tags` (and of `type`, when given).
 */
export interface Draw {
  count: number;
  tags?: string[];
  type?: QuestionType;
}

export type Section = Omit<S['Section'], 'questions' | 'draw'> & { questions: Question[]; draw?: Draw };

/** The exam document: the body of POST/PUT /exams. */
export type ExamDocument = Omit<S['ExamDocument'], 'sections'> & { sections: Section[] };

/** An exam as the server returns it: the draft plus its state. */
export type Exam = Omit<S['Exam'], 'sections'> & { sections: Section[] };
/** A line of GET /exams. */
export type ExamSummary = S['ExamSummary'];

export type PublishResponse = S['Published'];
export type Amendment = S['Amendment'];
export type ExamVersion = Omit<S['Version'], 'exam'> & { exam: ExamDocument };

/** The body of PUT …/key: one of these, by question type. */
export type KeyChange = S['KeyAmendment'];
export type RegradeResponse = S['AmendResult'];

// ---- bank and positions ----

/** A bank question: a question of an exam document with its id and times. */
export type BankQuestion = Question & { id: string; created_at: string; updated_at: string };
/** Filters and page of GET /bank/questions. */
export type BankQuery = NonNullable<operations['listBankQuestions']['parameters']['query']>;
export type BankPage = Ok<'listBankQuestions'>;
export type Position = S['Position'];
export type PositionInput = S['PositionInput'];
export type PositionCandidate = Ok<'positionCandidates'>['items'][number];
/** A per-tag score: of an attempt, or of a ranking row. */
export type TagScore = S['TagScore'];
/** A per-section score of a results row. */
export type SectionScore = S['SectionScore'];

// ---- invitations ----

export type InvitationStatus = S['InvitationStatus'];
export type Invitation = S['Invitation'];
/** An invitation just made: with its token and link, shown this once. */
export type CreatedInvitation = S['CreatedInvitation'];
/** POST /invitations/{id}/link: a fresh link, shown once. */
export type NewLink = S['NewLink'];
/** PATCH /invitations/{id}. closes_at null removes the closing time. */
export type InvitationPatch = JsonBody<operations['updateInvitation']['requestBody']>;
export type NewInvitation = S['NewInvitation'];
export type Webhook = S['Webhook'];
export type CreatedWebhook = S['CreatedWebhook'];
export type NewWebhook = S['NewWebhook'];
export type WebhookEvent = S['WebhookEvent'];
export type WebhookDelivery = S['WebhookDelivery'];

// ---- candidate ----

export type CandidateSession = S['CandidateSession'];

/** A question as the candidate sees it (no keys), with the members of every type. */
export type CandidateQuestion = Flat<S['CandidateQuestion']> & { id: string; type: QuestionType; prompt: string };
export type CandidateSection = Omit<S['CandidateSection'], 'questions'> & { questions: CandidateQuestion[] };

/** A candidate's answer; exactly one field, by question type. */
export type Response = S['Response'];
export type StoredResponse = S['SavedResponse'];
export type AttemptStatus = S['AttemptStatus'];
export type Attempt = Omit<S['Attempt'], 'sections'> & { sections: CandidateSection[] };
export type SaveAnswerResponse = S['SaveResult'];
export type SubmitResponse = S['SubmitResult'];
export type IntegrityEventType = S['EventRequest']['type'];

// ---- review ----

export type ReviewExam = S['ReviewExam'];
export type ReviewStats = S['ReviewStats'];
export type Agreement = S['Agreement'];
export type ReviewItem = S['ClaimedItem'];
/** Points for one rubric criterion: index into the question's rubric. */
export type CriterionPoints = S['CriterionPoints'];
/** What a reviewer gives an essay; criteria, when given, add up to points. */
export type ReviewMark = S['ScoreRequest'];
export type ScoredReview = S['ScoredItem'];
/** One essay the reviewer scored (blind). */
export type MyReview = S['MyScore'];
export type MyReviewPage = Ok<'myReviews'>;

// ---- audit, erasure ----

export type AuditEntry = S['AuditEntry'];
export type AuditPage = Ok<'auditLog'>;
export type Erased = Ok<'eraseCandidate'>;

// ---- results ----

export type ResultRow = S['Result'];
/** Filters, sort and page of GET /exams/{id}/results. */
export type ResultQuery = NonNullable<operations['listResults']['parameters']['query']>;
export type ResultPage = Ok<'listResults'>;

export type AttemptQuestion = S['QuestionDetail'];
export type OptionDetail = NonNullable<AttemptQuestion['options']>[number];
export type BlankDetail = NonNullable<AttemptQuestion['blanks']>[number];
export type AttemptDetail = S['AttemptDetail'];
export type VersionStatistics = S['Statistics'];
export type QuestionStatistics = S['QuestionStatistics'];
