// Set-up shared by the candidate-page browser tests (take-*.test.ts).

import { api, lettered, publishedExam } from './helpers';

/** A published four-question exam and one invitation to it. */
export async function candidateExam(
  token: string,
  title: string,
  email: string,
  extra: Record<string, unknown> = {},
): Promise<{ examId: string; link: string; invitationId: string }> {
  const examId = await publishedExam(token, {
    title,
    time_limit_seconds: 1800,
    sections: [
      {
        title: 'Part one',
        questions: [
          { type: 'true_false', prompt: 'The sky is blue.', answer: true, points: 1, explanation: 'Rayleigh scattering.' },
          {
            type: 'single_choice',
            prompt: 'Pick the second letter.',
            options: lettered('Alpha', 'Beta'),
            answer: 'b',
            points: 2,
            explanation: 'Beta is the second letter.',
          },
          { type: 'fill_in', prompt: 'Two plus two is {{1}}.', blanks: [{ accepted: ['4'], points: 1 }] },
        ],
      },
      { title: 'Part two', questions: [{ type: 'essay', prompt: 'Describe your last job.', points: 5 }] },
    ],
    ...extra,
  });
  const inv = await api<{ id: string; link: string }>(
    'POST',
    `/exams/${examId}/invitations`,
    { candidate_name: 'Casey Candidate', candidate_email: `${email}@example.com` },
    token,
  );
  return { examId, link: inv.link, invitationId: inv.id };
}

/** The integrity event types of an attempt, in order, from the staff API. */
export async function eventsOf(token: string, attemptId: string): Promise<string[]> {
  const a = await api<{ events: { type: string }[] }>('GET', `/attempts/${attemptId}`, undefined, token);
  return a.events.map((e) => e.type);
}
