// A fixture of the unit tests (not loaded by the app): an exam as the API
// returns it, a draft for two tracks.

import type { Exam } from './types';

/** A draft exam "T" of ten minutes for the manager and supervisor tracks, with these sections. */
export function testExam(sections: Exam['sections'], extra: Partial<Exam> = {}): Exam {
  return {
    id: 'e1',
    status: 'draft',
    latest_version: 0,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    title: 'T',
    time_limit_seconds: 600,
    tracks: ['manager', 'supervisor'],
    sections,
    ...extra,
  };
}
