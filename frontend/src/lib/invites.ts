// The recruiter's pasted list: one candidate a line, "name, email, track".
// Everything here is pure, so the page can check every line before
// anything is sent and name the bad ones.

/** What is wrong with a line, as a message key of messages-invites.ts. */
export type InviteProblemKey =
  | 'invites.emailMissing'
  | 'invites.emailInvalid'
  | 'invites.emailTooLong'
  | 'invites.nameMissing'
  | 'invites.nameTooLong'
  | 'invites.trackMissing'
  | 'invites.trackUnknown'
  | 'invites.duplicate'
  | 'invites.alreadyInvited';

export interface InviteProblem {
  key: InviteProblemKey;
  params?: Record<string, string | number>;
}

export interface InviteLine {
  /** 1-based line number in the box */
  line: number;
  /** the line as pasted */
  raw: string;
  candidate_name: string;
  candidate_email: string;
  track: string;
  /** a problem found before sending */
  problem?: InviteProblem;
}

export interface ParsedInvites {
  lines: InviteLine[];
  /** the header row's line number, when one was recognised and skipped */
  header?: number;
}

export const MAX_NAME = 200;
export const MAX_EMAIL = 254;

// API.md "Text": local@domain.tld, no white space or angle brackets.
const EMAIL = /^[^\s@<>]+@(?:[^\s@<>.]+\.)+[^\s@<>.]+$/;

export function isEmail(s: string): boolean {
  return s.length <= MAX_EMAIL && EMAIL.test(s);
}

type Column = 'name' | 'email' | 'track' | 'other';

// Words a header row copied from a spreadsheet uses for its columns.
const HEADER_WORDS: Record<Exclude<Column, 'other'>, string[]> = {
  name: ['name', 'full name', 'candidate', 'candidate name', 'candidate_name', '姓名', '名字', '考生', '考生姓名', '候选人', '应聘者'],
  email: ['email', 'e-mail', 'mail', 'email address', 'e-mail address', 'candidate_email', '邮箱', '电子邮箱', '电子邮件', '邮件', '邮箱地址', '邮件地址'],
  track: ['track', 'position', 'role', 'job', '岗位', '职位', '岗位类别', '类别', '应聘岗位', '应聘职位'],
};

function headerColumn(cell: string): Column | null {
  const c = cell.trim().toLowerCase().replace(/[:：*]+$/, '');
  for (const col of ['name', 'email', 'track'] as const) {
    if (HEADER_WORDS[col].includes(c)) return col;
  }
  return null;
}

/**
 * Splits one line into cells. A tab means a spreadsheet (cells are taken as
 * they are); else commas, full-width commas or semicolons separate cells,
 * with CSV's double quotes around a cell that holds one of them ("" is a
 * quote inside); a line with none of those is split on white space.
 */
export function splitCells(raw: string): { cells: string[]; spaced: boolean } {
  if (raw.includes('\t')) return { cells: raw.split('\t').map(unquote), spaced: false };
  if (/[,，;；]/.test(raw)) {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    let inQuotes = false;
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i];
      if (inQuotes) {
        if (ch === '"' && raw[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') {
          inQuotes = false;
        } else {
          cur += ch;
        }
      } else if (ch === '"' && !quoted && cur.trim() === '') {
        inQuotes = true;
        quoted = true;
        cur = '';
      } else if (/[,，;；]/.test(ch)) {
        cells.push(cur.trim());
        cur = '';
        quoted = false;
      } else {
        cur += ch;
      }
    }
    cells.push(cur.trim());
    return { cells, spaced: false };
  }
  return { cells: raw.trim().split(/\s+/), spaced: true };
}

function unquote(cell: string): string {
  const c = cell.trim();
  if (c.length >= 2 && c.startsWith('"') && c.endsWith('"')) return c.slice(1, -1).replace(/""/g, '"').trim();
  return c;
}

/** The header's columns, when the line is a header row. */
function asHeader(cells: string[]): Column[] | null {
  if (cells.some((c) => c.includes('@'))) return null;
  const cols = cells.map((c) => headerColumn(c) ?? 'other');
  const known = cols.filter((c) => c !== 'other');
  // An email column, or two known columns, make it a header: a name alone
  // ("Track") could be a candidate called so.
  if (cols.includes('email') || known.length >= 2) return cols;
  return null;
}

/** Reads name, email and track from a line's cells by position or by header. */
function fields(cells: string[], spaced: boolean, header: Column[] | null, tracks: string[]) {
  if (header && !spaced) {
    const get = (col: Column) => {
      const i = header.indexOf(col);
      return i >= 0 ? (cells[i] ?? '').trim() : '';
    };
    return { name: get('name'), email: get('email'), track: get('track') };
  }
  if (spaced) {
    // "Li Si li@example.com manager" or "li@example.com Li Si": the token
    // with an @ is the email; the name may hold spaces.
    const ei = cells.findIndex((c) => c.includes('@'));
    if (ei < 0) return { name: cells.join(' '), email: '', track: '' };
    if (ei > 0) return { name: cells.slice(0, ei).join(' '), email: cells[ei], track: cells.slice(ei + 1).join(' ') };
    const rest = cells.slice(1);
    const last = rest[rest.length - 1] ?? '';
    if (rest.length > 1 && matchTrack(last, tracks)) return { name: rest.slice(0, -1).join(' '), email: cells[0], track: last };
    return { name: rest.join(' '), email: cells[0], track: '' };
  }
  // Delimited: the cell with an @ is the email (first or second); with
  // none, the second cell stands where the email belongs.
  let ei = cells.findIndex((c) => c.includes('@'));
  if (ei < 0) ei = cells.length >= 2 ? 1 : -1;
  const email = ei >= 0 ? cells[ei] : '';
  const rest = cells.filter((_, j) => j !== ei);
  return { name: rest[0] ?? '', email, track: rest[1] ?? '' };
}

/** The exam's track a cell names (case aside), or undefined. */
export function matchTrack(cell: string, tracks: string[]): string | undefined {
  const c = cell.trim().toLowerCase();
  return tracks.find((tr) => tr.toLowerCase() === c);
}

/**
 * Parses the box: blank lines and lines starting with # are left out; the
 * first line is skipped when it is a header row (姓名 邮箱 岗位,
 * name,email,track …), whose column order is then used for the lines below.
 * Every line gets its first problem, if any: email missing or invalid, name
 * missing, track missing or unknown (when the exam has tracks), an email
 * already given on an earlier line, or one of `invited` (the exam's live
 * invitations, compared case-insensitively).
 */
export function parseInvites(text: string, tracks: string[] = [], invited: Iterable<string> = []): ParsedInvites {
  const have = new Set([...invited].map((e) => e.toLowerCase()));
  const out: ParsedInvites = { lines: [] };
  let header: Column[] | null = null;
  let first = true;
  const seen = new Map<string, number>();
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    if (!raw.trim() || raw.trim().startsWith('#')) return;
    const { cells, spaced } = splitCells(raw);
    if (first) {
      first = false;
      const h = asHeader(cells);
      if (h) {
        header = h;
        out.header = i + 1;
        return;
      }
    }
    const f = fields(cells, spaced, header, tracks);
    const l: InviteLine = { line: i + 1, raw, candidate_name: f.name.trim(), candidate_email: f.email.trim(), track: f.track.trim() };
    const canonical = tracks.length ? matchTrack(l.track, tracks) : undefined;
    if (canonical) l.track = canonical;
    const key = l.candidate_email.toLowerCase();
    const list = tracks.join(', ');
    if (!l.candidate_email) l.problem = { key: 'invites.emailMissing' };
    else if (l.candidate_email.length > MAX_EMAIL) l.problem = { key: 'invites.emailTooLong', params: { max: MAX_EMAIL } };
    else if (!isEmail(l.candidate_email)) l.problem = { key: 'invites.emailInvalid', params: { email: l.candidate_email } };
    else if (!l.candidate_name) l.problem = { key: 'invites.nameMissing' };
    else if ([...l.candidate_name].length > MAX_NAME) l.problem = { key: 'invites.nameTooLong', params: { max: MAX_NAME } };
    else if (tracks.length && !l.track) l.problem = { key: 'invites.trackMissing', params: { tracks: list } };
    else if (tracks.length && !canonical) l.problem = { key: 'invites.trackUnknown', params: { track: l.track, tracks: list } };
    else if (seen.has(key)) l.problem = { key: 'invites.duplicate', params: { line: seen.get(key)! } };
    else if (have.has(key)) l.problem = { key: 'invites.alreadyInvited' };
    if (!l.problem) seen.set(key, l.line);
    out.lines.push(l);
  });
  return out;
}

/**
 * The box after sending: the header (when there was one and lines remain)
 * and every line that was not invited, in their order; invited lines leave.
 */
export function remainingText(text: string, parsed: ParsedInvites, invited: Set<number>): string {
  const rows = text.split(/\r\n|\r|\n/);
  const keep = parsed.lines.filter((l) => !invited.has(l.line)).map((l) => l.raw);
  if (!keep.length) return '';
  if (parsed.header) keep.unshift(rows[parsed.header - 1]);
  return keep.join('\n');
}
