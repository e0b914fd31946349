// Types of the HTTP contract (docs/api.md). Fields the contract does
// not name are optional here, so the UI keeps working whatever extra fields
// the server adds.

export type Role = 'admin' | 'recruiter' | 'reviewer';

export interface Organization {
  id: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  organization?: Organization;
}

export interface TokenPair {
  access_token: string;
  token_type?: string;
  expires_in: number;
  refresh_token: string;
}

export interface LoginResponse extends TokenPair {
  user: User;
}

export interface SignupResponse extends TokenPair {
  organization: Organization;
  user: User;
}

export interface List<T> {
  items: T[];
}

// ---- exam documents ----

export type QuestionType = 'fill_in' | 'true_false' | 'single_choice' | 'multiple_choice' | 'essay';

export const QUESTION_TYPES: QuestionType[] = [
  'fill_in',
  'true_false',
  'single_choice',
  'multiple_choice',
  'essay',
];

export interface Option {
  key: string;
  text: string;
}

export interface Scoring {
  per_correct: number;
  per_wrong: number;
  floor: number;
}

export interface Blank {
  accepted: string[];
  points: number;
  case_sensitive?: boolean;
}

export interface RubricItem {
  criterion: string;
  points: number;
}

/** A question as authored; which fields matter depends on `type`. */
export interface Question {
  id?: string;
  type: QuestionType;
  prompt: string;
  points?: number;
  tracks?: string[];
  options?: Option[];
  /** true_false: boolean; single_choice: an option key. */
  answer?: boolean | string;
  answers?: string[];
  scoring?: Scoring;
  blanks?: Blank[];
  reference_answer?: string;
  rubric?: RubricItem[];
  /** 解析, any type: shown to candidates after submitting when the exam allows it. */
  explanation?: string;
}

export interface Section {
  id?: string;
  title: string;
  instructions?: string;
  questions: Question[];
}

/** The exam document: the body of POST/PUT /exams. */
export interface ExamDocument {
  title: string;
  description?: string;
  time_limit_seconds: number;
  grace_seconds?: number;
  pass_score?: number;
  tracks?: string[];
  /** Names of the tracks for people, by track id ({"manager": "经理"}). */
  track_labels?: Record<string, string>;
  shuffle_questions?: boolean;
  shuffle_options?: boolean;
  show_score_to_candidate?: boolean;
  /** After submitting, candidates see explanations and points. */
  show_explanations?: boolean;
  sections: Section[];
}

/** An exam as the server returns it: the draft plus its state. */
export interface Exam extends ExamDocument {
  id: string;
  status?: string;
  latest_version?: number;
  /** in list items (not named by the contract) */
  question_count?: number;
  created_at?: string;
  updated_at?: string;
}

export interface PublishResponse {
  exam_id: string;
  version: number;
  published_at: string;
}

export interface Amendment {
  question_id: string;
  at: string;
  by: string;
  by_name?: string;
  reason?: string;
  old_key: unknown;
  new_key: unknown;
}

export interface ExamVersion {
  exam_id: string;
  version: number;
  published_at: string;
  exam: ExamDocument & { id?: string };
  amendments: Amendment[];
}

/** The body of PUT …/key: one of these, by question type. */
export type KeyChange =
  | { answer: boolean | string }
  | { answers: string[] }
  | { blanks: Blank[] };

export interface RegradeResponse {
  regraded: number;
  changed: { attempt_id: string; old_score: number; new_score: number }[];
}

// ---- invitations ----

export type InvitationStatus =
  | 'pending'
  | 'in_progress'
  | 'submitted'
  | 'grading'
  | 'graded'
  | 'revoked';

export interface Invitation {
  id: string;
  token?: string;
  link?: string;
  exam_version?: number;
  status: InvitationStatus;
  candidate_name?: string;
  candidate_email?: string;
  track?: string;
  opens_at?: string | null;
  closes_at?: string | null;
  created_at?: string;
  // Not named by the contract; shown when the server sends them.
  attempt_id?: string | null;
  started_at?: string | null;
  submitted_at?: string | null;
  answered_count?: number | null;
  deadline?: string | null;
  extra_time_seconds?: number;
}

/** POST /invitations/{id}/link: a fresh link, shown once. */
export interface NewLink {
  id: string;
  token: string;
  link: string;
}

/** PATCH /invitations/{id}. closes_at null removes the closing time. */
export interface InvitationPatch {
  extra_time_seconds?: number;
  closes_at?: string | null;
}

export interface NewInvitation {
  candidate_name: string;
  candidate_email: string;
  track?: string;
  opens_at?: string;
  closes_at?: string;
}

// ---- candidate ----

export interface CandidateSession {
  access_token: string;
  expires_in: number;
  invitation: { id: string; candidate_name: string; status: InvitationStatus };
  exam: {
    title: string;
    description?: string;
    time_limit_seconds: number;
    question_count: number;
    max_score: number;
  };
}

/** A question as the candidate sees it: no keys. */
export interface CandidateQuestion {
  id: string;
  type: QuestionType;
  prompt: string;
  points?: number;
  options?: Option[];
  blank_count?: number;
  per_correct?: number;
  per_wrong?: number;
  floor?: number;
  /** After submission, when the exam shows explanations. */
  explanation?: string;
  points_awarded?: number | null;
  full_marks?: boolean | null;
}

export interface CandidateSection {
  id: string;
  title: string;
  instructions?: string;
  questions: CandidateQuestion[];
}

/** A candidate's answer; exactly one field, by question type. */
export type Response =
  | { value: boolean }
  | { choice: string }
  | { choices: string[] }
  | { blanks: string[] }
  | { text: string };

export interface StoredResponse {
  response: Response;
  seq: number;
}

export type AttemptStatus = 'in_progress' | 'submitted' | 'grading' | 'graded';

export interface Attempt {
  id: string;
  status: AttemptStatus;
  started_at: string;
  deadline: string;
  server_time: string;
  submitted_at?: string | null;
  sections: CandidateSection[];
  responses: Record<string, StoredResponse>;
}

export interface SaveAnswerResponse {
  question_id: string;
  seq: number;
  saved_at: string;
  /** The attempt's deadline now (an accommodation may have moved it). */
  deadline?: string;
  server_time?: string;
}

export interface SubmitResponse {
  status: string;
  submitted_at: string;
  score?: number;
  max_score?: number;
}

export type IntegrityEventType = 'blur' | 'focus' | 'paste' | 'copy' | 'fullscreen_exit';

// ---- review ----

export interface ReviewExam {
  exam_id: string;
  title: string;
  pending: number;
  claimed: number;
  done: number;
}

export interface ReviewStats {
  pending: number;
  claimed: number;
  done: number;
}

export interface ReviewItem {
  id: string;
  exam_title: string;
  question: {
    prompt: string;
    points: number;
    reference_answer?: string;
    rubric?: RubricItem[];
  };
  response: { text: string };
  lease_expires_at: string;
}

/** Points for one rubric criterion: index into the question's rubric. */
export interface CriterionPoints {
  index: number;
  points: number;
}

/** What a reviewer gives an essay; criteria, when given, add up to points. */
export interface ReviewMark {
  points: number;
  criteria?: CriterionPoints[];
  comment: string;
}

export interface ScoredReview {
  id: string;
  points: number;
  criteria: CriterionPoints[];
  comment: string;
  scored_at: string;
  revised_at: string | null;
}

/** One essay the reviewer scored (blind). */
export interface MyReview {
  id: string;
  exam_id: string;
  question_prompt: string;
  reference_answer: string;
  rubric: RubricItem[];
  response: { text: string };
  points: number;
  max_points: number;
  criteria: CriterionPoints[];
  comment: string;
  scored_at: string;
  revised_at: string | null;
  can_revise: boolean;
}

export interface MyReviewPage {
  items: MyReview[];
  next_cursor: string | null;
}

// ---- results ----

export interface ResultRow {
  invitation_id: string;
  /** null for an invitee who never started (status "pending"). */
  attempt_id: string | null;
  candidate_name: string;
  candidate_email: string;
  track?: string;
  status: AttemptStatus | 'pending';
  auto_score: number | null;
  manual_score: number | null;
  score: number | null;
  max_score: number | null;
  passed: boolean | null;
  submitted_at: string | null;
  submitted_by: string | null;
}

/** Filters, sort and page of GET /exams/{id}/results. */
export interface ResultQuery {
  status?: string;
  track?: string;
  sort?: string;
  min_score?: number;
  max_score?: number;
  include?: 'not_started';
  limit?: number;
  cursor?: string;
}

export interface ResultPage {
  items: ResultRow[];
  next_cursor: string | null;
}

export interface OptionDetail {
  key: string;
  text: string;
  correct: boolean;
  chosen: boolean;
}

export interface BlankDetail {
  accepted: string[];
  points: number;
  correct: boolean | null;
}

export interface AttemptQuestion {
  question_id: string;
  section_id: string;
  type: QuestionType;
  prompt: string;
  response: Response | null;
  points_awarded: number | null;
  max_points: number;
  graded_by: 'auto' | 'reviewer' | null;
  comment: string | null;
  /** Staff only: the key as an amendment takes it; null for an essay. */
  key?: KeyChange | null;
  options?: OptionDetail[];
  blanks?: BlankDetail[];
}

export interface AttemptDetail {
  id: string;
  invitation_id: string;
  candidate_name: string;
  candidate_email: string;
  track?: string;
  status: AttemptStatus;
  started_at: string;
  deadline: string;
  submitted_at: string | null;
  submitted_by: string | null;
  auto_score: number | null;
  manual_score: number | null;
  score: number | null;
  max_score: number | null;
  passed: boolean | null;
  questions: AttemptQuestion[];
  events: { type: string; at: string; client_address?: string }[];
  // Not in the contract; used when the server adds it.
  exam_id?: string;
}
