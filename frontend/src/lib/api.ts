// The typed API client: one function per endpoint of API.md.

import { Http } from './http';
import type { FetchFn } from './http';
import { StaffSession } from './session';
import type {
  AttemptDetail,
  AuditPage,
  BankPage,
  BankQuery,
  BankQuestion,
  Position,
  PositionCandidate,
  PositionInput,
  Question,
  Erased,
  VersionStatistics,
  Exam,
  ExamSummary,
  ExamDocument,
  ExamVersion,
  CreatedInvitation,
  Invitation,
  InvitationPatch,
  KeyChange,
  List,
  LoginResponse,
  NewInvitation,
  NewLink,
  PublishResponse,
  RegradeResponse,
  ResultPage,
  ResultQuery,
  ResultRow,
  ReviewExam,
  MyReviewPage,
  ReviewItem,
  ReviewMark,
  ReviewStats,
  Agreement,
  ScoredReview,
  Role,
  SignupResponse,
  TokenPair,
  User,
  CreatedWebhook,
  NewWebhook,
  Webhook,
  WebhookDelivery,
} from './types';
import { importBody } from './imports';
import type { ExportFormat, ImportInput, ImportResult } from './imports';

const enc = encodeURIComponent;

export { candidateApi } from './candidate-api';
export type { CandidateApi } from './candidate-api';

/** Endpoints that need no token. */
export function publicApi(http = new Http(null)) {
  return {
    signup: (b: { organization: string; name: string; email: string; password: string }) =>
      http.post<SignupResponse>('/signup', b),
    login: (b: { email: string; password: string }) => http.post<LoginResponse>('/auth/login', b),
    refresh: (refresh_token: string) => http.post<TokenPair>('/auth/refresh', { refresh_token }),
    logout: (refresh_token: string) => http.post<void>('/auth/logout', { refresh_token }),
  };
}

/** Staff endpoints (admin, recruiter, reviewer). */
export function staffApi(http: Http) {
  return {
    me: () => http.get<User>('/me'),
    listUsers: () => http.get<List<User>>('/users'),
    createUser: (b: { email: string; name: string; password: string; role: Role }) =>
      http.post<User>('/users', b),

    listExams: () => http.get<List<ExamSummary>>('/exams'),
    getExam: (id: string) => http.get<Exam>(`/exams/${enc(id)}`),
    createExam: (doc: ExamDocument) => http.post<Exam>('/exams', doc),
    updateExam: (id: string, doc: ExamDocument) => http.put<Exam>(`/exams/${enc(id)}`, doc),
    publish: (id: string) => http.post<PublishResponse>(`/exams/${enc(id)}/publish`),
    getVersion: (id: string, n: number) => http.get<ExamVersion>(`/exams/${enc(id)}/versions/${n}`),
    amendKey: (id: string, n: number, questionId: string, key: KeyChange, dryRun: boolean, reason?: string) =>
      http.put<RegradeResponse>(`/exams/${enc(id)}/versions/${n}/questions/${enc(questionId)}/key`, reason ? { ...key, reason } : key, {
        query: dryRun ? { dry_run: true } : undefined,
      }),

    importExam: (input: ImportInput) => http.post<ImportResult>('/imports', importBody(input)),
    importTemplate: () => http.get<Response>('/imports/template.xlsx', { raw: true }),
    exportExam: (id: string, format: ExportFormat) =>
      http.get<Response>(`/exams/${enc(id)}/export`, { raw: true, query: { format } }),
    exportVersion: (id: string, n: number, format: ExportFormat) =>
      http.get<Response>(`/exams/${enc(id)}/versions/${n}/export`, { raw: true, query: { format } }),

    invite: (examId: string, b: NewInvitation) => http.post<CreatedInvitation>(`/exams/${enc(examId)}/invitations`, b),
    listInvitations: (examId: string) => http.get<List<Invitation>>(`/exams/${enc(examId)}/invitations`),
    revokeInvitation: (id: string) => http.delete<void>(`/invitations/${enc(id)}`),
    newLink: (id: string) => http.post<NewLink>(`/invitations/${enc(id)}/link`),
    updateInvitation: (id: string, b: InvitationPatch) => http.patch<Invitation>(`/invitations/${enc(id)}`, b),

    results: (examId: string) => http.get<List<ResultRow>>(`/exams/${enc(examId)}/results`),
    resultsPage: (examId: string, q: ResultQuery) =>
      http.get<ResultPage>(`/exams/${enc(examId)}/results`, { query: { ...q } }),
    resultsCsv: (examId: string, opts?: { lang: string; tz: string }) =>
      http.get<Response>(`/exams/${enc(examId)}/results.csv`, { raw: true, query: opts ? { ...opts } : undefined }),
    statistics: (examId: string, n: number, track?: string) =>
      http.get<VersionStatistics>(`/exams/${enc(examId)}/versions/${n}/statistics`, {
        query: track ? { track } : undefined,
      }),
    resultsXlsx: (examId: string, opts: { lang: string; tz: string }) =>
      http.get<Response>(`/exams/${enc(examId)}/results.xlsx`, { raw: true, query: { ...opts } }),
    attempt: (id: string) => http.get<AttemptDetail>(`/attempts/${enc(id)}`),
    reopenAttempt: (id: string, b: { extra_seconds: number; reason: string }) =>
      http.post<AttemptDetail>(`/attempts/${enc(id)}/reopen`, b),

    bankQuestions: (q: BankQuery) =>
      http.get<BankPage>('/bank/questions', {
        query: { q: q.q || undefined, tag: q.tag || undefined, type: q.type || undefined, cursor: q.cursor || undefined, limit: q.limit },
      }),
    bankQuestion: (id: string) => http.get<BankQuestion>(`/bank/questions/${enc(id)}`),
    createBankQuestion: (q: Question) => http.post<BankQuestion>('/bank/questions', q),
    createBankQuestions: (questions: Question[]) => http.post<{ items: BankQuestion[] }>('/bank/questions/batch', { questions }),
    updateBankQuestion: (id: string, q: Question) => http.put<BankQuestion>(`/bank/questions/${enc(id)}`, q),
    deleteBankQuestion: (id: string) => http.delete<void>(`/bank/questions/${enc(id)}`),

    listPositions: () => http.get<List<Position>>('/positions'),
    getPosition: (id: string) => http.get<Position>(`/positions/${enc(id)}`),
    createPosition: (b: PositionInput) => http.post<Position>('/positions', b),
    updatePosition: (id: string, b: PositionInput) => http.put<Position>(`/positions/${enc(id)}`, b),
    deletePosition: (id: string) => http.delete<void>(`/positions/${enc(id)}`),
    positionCandidates: (id: string) => http.get<List<PositionCandidate>>(`/positions/${enc(id)}/candidates`),

    listWebhooks: () => http.get<List<Webhook>>('/webhooks'),
    createWebhook: (b: NewWebhook) => http.post<CreatedWebhook>('/webhooks', b),
    deleteWebhook: (id: string) => http.delete<void>(`/webhooks/${enc(id)}`),
    webhookDeliveries: (id: string, cursor?: string) =>
      http.get<{ items: WebhookDelivery[]; next_cursor: string | null }>(`/webhooks/${enc(id)}/deliveries`, {
        query: { cursor: cursor || undefined },
      }),
    retryDelivery: (id: string, deliveryId: string) =>
      http.post<{ id: string; status: string }>(`/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/retry`),

    reviewExams: () => http.get<List<ReviewExam>>('/reviews/exams'),
    reviewStats: (examId?: string) =>
      http.get<ReviewStats>('/reviews/stats', { query: { exam_id: examId || undefined } }),
    /** Resolves to null when nothing waits (204). */
    claim: async (examId?: string, moderation?: boolean) =>
      (await http.post<ReviewItem | undefined>('/reviews/claim', {
        ...(examId ? { exam_id: examId } : {}),
        ...(moderation ? { moderation: true } : {}),
      })) ?? null,
    agreement: (examId: string) => http.get<Agreement>('/reviews/agreement', { query: { exam_id: examId } }),
    score: (id: string, b: ReviewMark) => http.post<ScoredReview>(`/reviews/${enc(id)}/score`, b),
    reviseScore: (id: string, b: ReviewMark) => http.put<ScoredReview>(`/reviews/${enc(id)}/score`, b),
    releaseReview: (id: string) => http.post<undefined>(`/reviews/${enc(id)}/release`),
    myReviews: (examId?: string, cursor?: string) =>
      http.get<MyReviewPage>('/reviews/mine', { query: { exam_id: examId || undefined, cursor: cursor || undefined } }),

    audit: (f: { action?: string; actor?: string; cursor?: string }) =>
      http.get<AuditPage>('/audit', { query: { action: f.action || undefined, actor: f.actor || undefined, cursor: f.cursor || undefined } }),
    eraseCandidate: (email: string) => http.post<Erased>('/candidates/erase', { email }),
  };
}

export type StaffApi = ReturnType<typeof staffApi>;

/** Wires the staff client to the browser's storage. */
export function createStaffClient(session: StaffSession, fetchFn?: FetchFn) {
  return staffApi(new Http(session, fetchFn));
}
