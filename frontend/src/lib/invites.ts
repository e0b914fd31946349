// The recruiter's pasted list: one candidate a line, "name, email, track".

export interface InviteLine {
  line: number;
  candidate_name: string;
  candidate_email: string;
  track: string;
  /** a problem found before sending, as a message key */
  problem?: 'invite.lineNoEmail' | 'invite.lineNoName' | 'invite.lineBadTrack' | 'invite.lineNoTrack';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Splits on commas (also the full-width "，"), tabs (pasted from a
 * spreadsheet) or semicolons. The email may come first or second; the
 * field that looks like an email is taken as the email.
 */
export function parseInviteLines(text: string, tracks: string[] = []): InviteLine[] {
  const out: InviteLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim() || raw.trim().startsWith('#')) return;
    const parts = raw.split(/[,，;；\t]/).map((p) => p.trim());
    const ei = parts.findIndex((p) => EMAIL.test(p));
    const email = ei >= 0 ? parts[ei] : '';
    const rest = parts.filter((_, j) => j !== ei);
    const name = rest[0] ?? '';
    const track = rest[1] ?? '';
    const l: InviteLine = { line: i + 1, candidate_name: name, candidate_email: email, track };
    if (!email) l.problem = 'invite.lineNoEmail';
    else if (!name) l.problem = 'invite.lineNoName';
    else if (tracks.length && !track) l.problem = 'invite.lineNoTrack';
    else if (tracks.length && !tracks.includes(track)) l.problem = 'invite.lineBadTrack';
    out.push(l);
  });
  return out;
}
