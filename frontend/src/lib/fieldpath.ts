// Maps the JSON paths of a 422's details (e.g.
// "sections[1].questions[0].answers[1]") to the editor's fields, so each
// problem can be shown beside the input it is about.
//
// An editor field is named by the path of the document value it edits, with
// the exceptions below: lists edited in one input (tracks as one text box,
// the correct-option flags, accepted answers one per line) swallow their
// index, and time_limit_seconds is edited in minutes.

import type { FieldProblem } from './http';

/** Lists whose members are edited in one input: the index is dropped. */
const WHOLE_LISTS = new Set(['tracks', 'answers', 'accepted']);

/** Document names the editor shows under another field name. */
const RENAMED: Record<string, string> = {
  time_limit_seconds: 'time_limit',
};

type Segment = string | number;

/** Parses "a[1].b.c[2]" (also "a.1.b", "$.a", "/a/1/b") into segments. */
export function parsePath(path: string): Segment[] {
  let p = path.trim();
  if (p.startsWith('/')) p = p.slice(1).replace(/\//g, '.');
  if (p.startsWith('$')) p = p.slice(1);
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p)) !== null) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (/^\d+$/.test(m[1])) out.push(Number(m[1]));
    else out.push(m[1]);
  }
  return out;
}

export function formatPath(segs: Segment[]): string {
  let s = '';
  for (const seg of segs) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s ? `.${seg}` : seg;
  }
  return s;
}

/** The editor field a problem's JSON path belongs to. */
export function fieldKey(path: string): string {
  const segs = parsePath(path);
  const out: Segment[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (typeof seg === 'number') {
      const parent = out[out.length - 1];
      if (typeof parent === 'string' && WHOLE_LISTS.has(parent)) {
        // answers[1] → answers; accepted[0] → accepted; and nothing below
        break;
      }
      out.push(seg);
    } else {
      out.push(out.length === 0 && RENAMED[seg] ? RENAMED[seg] : seg);
    }
  }
  return formatPath(out);
}

/** The problems of a 422 grouped by editor field. */
export function groupByField(details: FieldProblem[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const d of details) {
    const k = fieldKey(d.field || '');
    const list = m.get(k) ?? [];
    list.push(d.message);
    m.set(k, list);
  }
  return m;
}

/**
 * Problems for a field and, with `deep`, for everything under it
 * (e.g. "sections[0].questions[1]" collects its options' problems too).
 */
export function problemsFor(groups: Map<string, string[]>, key: string, deep = false): string[] {
  if (!deep) return groups.get(key) ?? [];
  const out: string[] = [];
  for (const [k, v] of groups) {
    if (k === key || k.startsWith(key + '.') || k.startsWith(key + '[')) out.push(...v);
  }
  return out;
}

/** A DOM id for a field key (stable, usable in aria-describedby). */
export function fieldDomId(key: string): string {
  return 'f-' + key.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/-+$/g, '');
}
