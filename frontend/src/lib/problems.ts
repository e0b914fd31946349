// A 422 detail {field, code, message, params} said in people's words, in
// Chinese or English: where ("第 1 题第 2 空" / "Question 1, blank 2") and
// what is wrong ("至少填写一个可接受答案" / "give at least one accepted
// answer"). The codes are the shared vocabulary of API.md's "Error details
// carry a code"; a code this file does not know falls back to the server's
// own (English) message.

import type { FieldProblem } from './http';
import { fieldKey, parsePath } from './fieldpath';
import type { Lang } from './i18n';
import { en as staffEn, zh as staffZh } from './messages';

type Params = Record<string, unknown>;

/** Optional knowledge of the document, so places read as the editor shows them. */
export interface ProblemContext {
  /** The number the editor shows for a question (1-based, across sections). */
  questionNumber?: (section: number, question: number) => number;
  /** A track's label (by default its id). */
  trackLabel?: (track: string) => string;
}

const WORDS = {
  en: {
    title: 'Title',
    description: 'Description',
    time_limit_seconds: 'Time limit',
    grace_seconds: 'Grace period',
    pass_score: 'Pass mark',
    tracks: 'Tracks',
    track_labels: 'Track names',
    sections: 'Sections',
    shuffle_questions: 'Shuffle questions',
    shuffle_options: 'Shuffle options',
    show_score_to_candidate: 'Show the score',
    candidate_name: 'Name',
    candidate_email: 'Email',
    track: 'Track',
    opens_at: 'Opens',
    closes_at: 'Closes',
    extra_time_seconds: 'Extra time',
    extra_seconds: 'Extra time',
    reason: 'Reason',
    name: 'Name',
    email: 'Email',
    password: 'Password',
    organization: 'Organization',
    role: 'Role',
    points: 'Score',
    comment: 'Comment',
    criteria: 'Criteria',
    answer: 'Correct answer',
    answers: 'Correct options',
    blanks: 'Blanks',
    'section.title': 'title',
    'section.instructions': 'instructions',
    'section.questions': 'questions',
    'question.type': 'type',
    'question.prompt': 'question text',
    'question.points': 'points',
    'question.tracks': 'tracks',
    'question.answer': 'correct answer',
    'question.answers': 'correct options',
    'question.options': 'options',
    'question.scoring': 'scoring',
    'question.blanks': 'blanks',
    'question.reference_answer': 'reference answer',
    'question.rubric': 'rubric',
    'scoring.per_correct': 'points per correct option',
    'scoring.per_wrong': 'minus per wrong option',
    'scoring.floor': 'lowest score',
    'blank.accepted': 'accepted answers',
    'blank.points': 'points',
    'blank.case_sensitive': 'case sensitivity',
    'option.key': 'key',
    'option.text': 'text',
    'criterion.criterion': 'text',
    'criterion.points': 'points',
  },
  'zh-CN': {
    title: '标题',
    description: '说明',
    time_limit_seconds: '考试时长',
    grace_seconds: '宽限时间',
    pass_score: '及格分',
    tracks: '岗位类别',
    track_labels: '岗位名称',
    sections: '试卷部分',
    shuffle_questions: '题目乱序',
    shuffle_options: '选项乱序',
    show_score_to_candidate: '显示分数',
    candidate_name: '姓名',
    candidate_email: '邮箱',
    track: '岗位类别',
    opens_at: '开放时间',
    closes_at: '截止时间',
    extra_time_seconds: '延长时间',
    extra_seconds: '延长时间',
    reason: '原因',
    name: '姓名',
    email: '邮箱',
    password: '密码',
    organization: '机构名称',
    role: '角色',
    points: '得分',
    comment: '评语',
    criteria: '评分要点',
    answer: '正确答案',
    answers: '正确选项',
    blanks: '填空',
    'section.title': '标题',
    'section.instructions': '说明',
    'section.questions': '题目',
    'question.type': '题型',
    'question.prompt': '题干',
    'question.points': '分值',
    'question.tracks': '适用岗位',
    'question.answer': '正确答案',
    'question.answers': '正确选项',
    'question.options': '选项',
    'question.scoring': '计分',
    'question.blanks': '填空',
    'question.reference_answer': '参考答案',
    'question.rubric': '评分细则',
    'scoring.per_correct': '每选对一项得分',
    'scoring.per_wrong': '每选错一项扣分',
    'scoring.floor': '最低得分',
    'blank.accepted': '可接受答案',
    'blank.points': '分值',
    'blank.case_sensitive': '大小写设置',
    'option.key': '编号',
    'option.text': '内容',
    'criterion.criterion': '内容',
    'criterion.points': '分值',
  },
} as const;

type Word = keyof (typeof WORDS)['en'];

const PIECES = {
  en: {
    section: 'Section {n}',
    question: 'Question {n}',
    sectionQuestion: 'Section {s}, question {n}',
    option: 'option {n}',
    blank: 'blank {n}',
    criterion: 'criterion {n}',
    track: 'track {n}',
    trackLabel: 'name of track “{track}”',
    item: 'item {n}',
    join: ', ',
    colon: ': ',
  },
  'zh-CN': {
    section: '第 {n} 部分',
    question: '第 {n} 题',
    sectionQuestion: '第 {s} 部分第 {n} 题',
    option: '选项 {n}',
    blank: '第 {n} 空',
    criterion: '评分要点 {n}',
    track: '第 {n} 个岗位',
    trackLabel: '岗位“{track}”的名称',
    item: '第 {n} 项',
    join: '',
    colon: '：',
  },
} as const;

const MESSAGES = {
  en: {
    required: 'fill this in',
    'required.answer': 'choose the correct answer',
    'required.answers': 'mark at least one correct option',
    'required.accepted': 'give at least one accepted answer',
    too_long: 'at most {max} characters',
    too_short: 'at least {min} characters',
    too_many: 'at most {max}',
    too_few: 'at least {min}',
    'too_few.accepted': 'give at least one accepted answer',
    'too_few.answers': 'mark at least one correct option',
    'too_few.options': 'give at least {min} options',
    'out_of_range.both': 'must be from {min} to {max}',
    'out_of_range.min': 'must be at least {min}',
    'out_of_range.max': 'must be at most {max}',
    out_of_range: 'is out of range',
    not_positive: 'must be more than 0',
    not_multiple_of_half: 'must be a multiple of 0.5',
    unknown_option: 'no option has the key “{key}”',
    duplicate: '“{value}” appears more than once',
    unknown_track: 'the exam has no track “{track}”',
    no_tracks: 'the exam has no tracks to choose from',
    wrong_type: 'must be {expected}',
    unknown_field: 'unknown field “{field}”',
    invalid_value: 'must be one of {allowed}',
    invalid_email: 'is not a valid email address',
    'weak_password.short': 'at least {min} characters',
    'weak_password.blank': 'must not be only spaces',
    'weak_password.breached': 'is a commonly leaked password; choose another',
    contains_nul: 'contains a NUL character',
    surrounding_space: 'must not start or end with a space',
    placeholder_missing: 'the question text has no {{{n}}}',
    placeholder_repeated: '{{{n}}} appears {count} times; once is enough',
    placeholder_unknown: '{{{n}}} has no blank of its own',
    count_mismatch: '{want} expected, {got} given',
    floor_above_max: 'the lowest score {floor} is more than the question can score ({max})',
    rubric_over_points: 'the rubric adds up to {sum}, more than the question’s {points} points',
    pass_score_above_max: 'the pass mark {pass_score} is above the highest possible score ({max})',
    invalid_json: 'is not valid JSON',
    too_many_problems: 'there are more problems; only the first {limit} are listed',
    invalid_time: 'is not a valid time',
    not_after: 'must be later than {field}',
    unknown_id: 'is not an id this exam has; leave it out for a new one',
    no_answer_key: 'this question has no answer key to change',
    sum_mismatch: 'the criteria add up to {sum}, not the {points} points given',
    unequal_points: 'the bank questions this section draws from differ in maximum points; a draw is fair only when they are equal',
    unreadable: 'the {format} file could not be read (line {line})',
    import_no_key: 'the source gives no answer key: add it here',
    import_too_few_options: '{found} option(s) found; a choice question needs at least 2',
    import_key_not_option: 'the key “{key}” is not one of the options',
    import_not_true_false: '“{key}” is not a true/false key (√ × 对 错 正确 错误 T F)',
    import_blank_lost: 'the source lost this blank (no ____ or （ ） in the text): mark where it goes with {{1}}',
    import_blank_count: 'the key has {answers} answer(s) for {blanks} blank(s), so none was used',
    import_unnumbered: 'the questions are not numbered: each paragraph with options was read as one question',
    import_no_title: 'the paper has no title line; “{title}” is used',
    import_no_time_limit: 'the paper gives no time limit; {minutes} minutes assumed',
    import_type_guessed: 'question {n}: read as “{type}” (the paper does not say)',
    import_single_assumed: 'question {n}: taken as single choice (no key tells single from multiple)',
    import_several_keys: 'question {n}: the key “{key}” names several options, so it is a multiple choice',
    import_no_points: 'question {n}: no points given; 1 point assumed',
    import_points_uneven: 'question {n}: the section’s {total} points do not share evenly over {questions} questions; 1 point assumed',
    import_new_section: 'the numbering starts again at 1 without a heading: read as a new section',
    import_two_keys: 'question {n} has two keys (the other on line {line}); the later one is used',
    import_respondent_left_out: 'a respondent’s answers and scores (你的答案, 得分) were left out',
    'invalid_email.candidate_email': 'is not a valid email address (name@example.com)',
  },
  'zh-CN': {
    required: '请填写',
    'required.answer': '请选择正确答案',
    'required.answers': '至少标出一个正确选项',
    'required.accepted': '至少填写一个可接受答案',
    too_long: '最多 {max} 个字符',
    too_short: '至少 {min} 个字符',
    too_many: '最多 {max} 个',
    too_few: '至少 {min} 个',
    'too_few.accepted': '至少填写一个可接受答案',
    'too_few.answers': '至少标出一个正确选项',
    'too_few.options': '至少需要 {min} 个选项',
    'out_of_range.both': '应在 {min} 到 {max} 之间',
    'out_of_range.min': '不能小于 {min}',
    'out_of_range.max': '不能大于 {max}',
    out_of_range: '超出允许范围',
    not_positive: '必须大于 0',
    not_multiple_of_half: '必须是 0.5 的整数倍',
    unknown_option: '没有编号为“{key}”的选项',
    duplicate: '“{value}”重复了',
    unknown_track: '试卷没有“{track}”这个岗位',
    no_tracks: '试卷没有设置岗位类别',
    wrong_type: '类型应为 {expected}',
    unknown_field: '不认识的字段“{field}”',
    invalid_value: '只能是 {allowed} 之一',
    invalid_email: '不是有效的邮箱地址',
    'weak_password.short': '至少 {min} 个字符',
    'weak_password.blank': '不能全是空格',
    'weak_password.breached': '是常见的泄露密码，请换一个',
    contains_nul: '含有空字符（NUL）',
    surrounding_space: '开头和结尾不能有空格',
    placeholder_missing: '题干中缺少 {{{n}}}',
    placeholder_repeated: '{{{n}}} 出现了 {count} 次，只能出现一次',
    placeholder_unknown: '{{{n}}} 没有对应的空',
    count_mismatch: '应为 {want} 个，实际 {got} 个',
    floor_above_max: '最低得分 {floor} 超过该题可得的最高分（{max}）',
    rubric_over_points: '评分细则合计 {sum} 分，超过该题的 {points} 分',
    pass_score_above_max: '及格分 {pass_score} 高于可能的最高分（{max}）',
    invalid_json: '不是有效的 JSON',
    too_many_problems: '问题较多，只列出前 {limit} 个',
    invalid_time: '不是有效的时间',
    not_after: '必须晚于{field}',
    unknown_id: '不是本试卷已有的编号；新增时请留空',
    no_answer_key: '这道题没有可修改的答案',
    sum_mismatch: '各评分要点合计 {sum} 分，与所给的 {points} 分不符',
    unequal_points: '本部分抽题范围内的题库题目满分不一；只有满分相同，随机抽题才公平',
    unreadable: '无法读取这个 {format} 文件（第 {line} 行）',
    import_no_key: '原文没有给出答案，请在此补上',
    import_too_few_options: '只找到 {found} 个选项，选择题至少需要 2 个',
    import_key_not_option: '答案“{key}”不是本题的选项',
    import_not_true_false: '“{key}”不是判断题答案（√ × 对 错 正确 错误 T F）',
    import_blank_lost: '原文中这道填空题的空位已丢失（题干中没有 ____ 或 （ ））：请用 {{1}} 标出空位',
    import_blank_count: '答案有 {answers} 个，而空位有 {blanks} 个，因此答案未采用',
    import_unnumbered: '题目没有编号：每段带选项的文字按一道题读取',
    import_no_title: '试卷没有标题行，暂用“{title}”',
    import_no_time_limit: '试卷没有写考试时长，暂按 {minutes} 分钟',
    import_type_guessed: '第 {n} 题：原文未注明题型，按“{type}”读取',
    import_single_assumed: '第 {n} 题：没有答案可区分单选与多选，按单项选择题读取',
    import_several_keys: '第 {n} 题：答案“{key}”含多个选项，改为多项选择题',
    import_no_points: '第 {n} 题：原文没有分值，暂按 1 分',
    import_points_uneven: '第 {n} 题：本部分 {total} 分不能平均分给 {questions} 道题，暂按 1 分',
    import_new_section: '题号重新从 1 开始且没有标题：按新的一部分读取',
    import_two_keys: '第 {n} 题有两个答案（另一个在第 {line} 行），采用后一个',
    import_respondent_left_out: '已略去答题人的作答和得分（你的答案、得分）',
    'invalid_email.candidate_email': '不是有效的邮箱地址（应如 name@example.com）',
  },
} as const;

type MessageId = keyof (typeof MESSAGES)['en'];

function fill(s: string, vars: Params): string {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? show(vars[k]) : m));
}

function show(v: unknown): string {
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  return String(v);
}

/** The lists of a question's items, and what one of their items is called. */
const ITEM_OF = { options: 'option', blanks: 'blank', rubric: 'criterion', criteria: 'criterion' } as const;

/** Where a JSON path points, in people's words ("" for the whole document). */
export function problemPlace(lang: Lang, field: string, ctx: ProblemContext = {}): string {
  const W = WORDS[lang];
  const P = PIECES[lang];
  const segs = parsePath(field);
  const parts: string[] = [];
  let level: 'exam' | 'section' | 'question' | 'option' | 'blank' | 'criterion' | 'scoring' | 'list' = 'exam';
  let si = -1;
  let list = '';
  const word = (k: string) => (k in W ? W[k as Word] : k);
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const next = segs[i + 1];
    if (typeof seg === 'number') {
      // An index of a list named just before.
      switch (list) {
        case 'sections':
          parts.pop();
          si = seg;
          level = 'section';
          if (segs[i + 1] !== 'questions' || typeof segs[i + 2] !== 'number') parts.push(fill(P.section, { n: seg + 1 }));
          break;
        case 'questions': {
          parts.pop();
          const n = ctx.questionNumber ? ctx.questionNumber(si, seg) : undefined;
          parts.push(n !== undefined ? fill(P.question, { n }) : fill(P.sectionQuestion, { s: si + 1, n: seg + 1 }));
          level = 'question';
          break;
        }
        case 'options':
        case 'blanks':
        case 'rubric':
        case 'criteria': {
          // An item of a question: the item, numbered, in the question's place.
          const item = ITEM_OF[list];
          parts.pop();
          parts.push(fill(P[item], { n: seg + 1 }));
          level = item;
          break;
        }
        case 'tracks':
          if (level === 'exam') {
            parts.pop();
            parts.push(fill(P.track, { n: seg + 1 }));
          }
          // a question's tracks[i], answers[i], accepted[i]: the list is the place
          break;
        default:
          if (list !== 'answers' && list !== 'accepted') parts.push(fill(P.item, { n: seg + 1 }));
      }
      list = '';
      continue;
    }
    list = seg;
    if (level === 'exam') {
      if (seg === 'track_labels' && typeof next === 'string') {
        const label = ctx.trackLabel ? ctx.trackLabel(next) : next;
        parts.push(fill(P.trackLabel, { track: label }));
        i++;
        continue;
      }
      if (seg !== 'sections' || typeof next !== 'number') parts.push(word(seg));
      else parts.push(word(seg));
    } else if (level === 'section') {
      if (seg === 'questions' && typeof next === 'number') parts.push('');
      else parts.push(word(`section.${seg}`));
    } else if (level === 'question') {
      if (seg === 'scoring') level = 'scoring';
      if (seg === 'scoring' && typeof next === 'string') parts.push('');
      else if (['options', 'blanks', 'rubric'].includes(seg) && typeof next === 'number') parts.push('');
      else parts.push(word(`question.${seg}`));
    } else if (level === 'scoring') parts.push(word(`scoring.${seg}`));
    else if (level === 'option') parts.push(word(`option.${seg}`));
    else if (level === 'blank') {
      // "第 1 题第 2 空" already names the blank's accepted answers.
      if (seg !== 'accepted') parts.push(word(`blank.${seg}`));
    } else if (level === 'criterion') parts.push(word(`criterion.${seg}`));
    else parts.push(seg);
  }
  const out = parts.filter((x) => x !== '');
  if (lang === 'zh-CN') {
    // "第 1 题" + "题干" → "第 1 题题干"; after a bare number "选项 2 的内容".
    return out.reduce((a, x) => (a && /\d$/.test(a) ? `${a} 的${x}` : a + x), '');
  }
  // English: "Question 1, blank 2"; a property after a numbered piece reads "Question 1 points".
  let s = '';
  for (const x of out) s = s ? `${s}${/^[a-z]/.test(x) && !/^(option|blank|criterion|track|item|name) /.test(x) ? ' ' : P.join}${x}` : x;
  return s;
}

/** A question type as the editor's type menu names it (messages.ts), for import_type_guessed. */
function typeName(lang: Lang, type: unknown): string {
  const words: Record<string, string> = lang === 'en' ? staffEn : staffZh;
  return words[`qtype.${String(type)}`] ?? String(type);
}

/** What is wrong, in people's words; the server's message for a code this file does not know. */
export function problemMessage(lang: Lang, p: FieldProblem): string {
  const M = MESSAGES[lang] as Record<MessageId, string>;
  const params: Params = p.params ?? {};
  const last = lastName(p.wordsField ?? p.field);
  const pick = (...ids: string[]) => {
    for (const id of ids) if (id in M) return M[id as MessageId];
    return undefined;
  };
  let tpl: string | undefined;
  switch (p.code) {
    case undefined:
    case '':
      return p.message;
    case 'out_of_range':
      tpl =
        params.min !== undefined && params.max !== undefined
          ? M['out_of_range.both']
          : params.min !== undefined
            ? M['out_of_range.min']
            : params.max !== undefined
              ? M['out_of_range.max']
              : M.out_of_range;
      break;
    case 'weak_password':
      tpl = pick(`weak_password.${String(params.reason)}`);
      break;
    case 'import_type_guessed':
      return fill(M.import_type_guessed, { ...params, type: typeName(lang, params.type) });
    case 'not_after': {
      const f = typeof params.field === 'string' ? problemPlace(lang, params.field) : '';
      return fill(M.not_after, { field: f });
    }
    default:
      tpl = pick(`${p.code}.${last}`, p.code);
  }
  return tpl === undefined ? p.message : fill(tpl, params);
}

/** The whole sentence: "第 1 题第 2 空：至少填写一个可接受答案". */
export function problemSentence(lang: Lang, p: FieldProblem, ctx: ProblemContext = {}): string {
  const place = problemPlace(lang, p.field, ctx);
  const what = problemMessage(lang, p);
  return place ? `${place}${PIECES[lang].colon}${what}` : what;
}

/** The last named segment of a path: "…blanks[1].accepted[0]" → "accepted". */
function lastName(field: string): string {
  const segs = parsePath(field);
  for (let i = segs.length - 1; i >= 0; i--) if (typeof segs[i] === 'string') return segs[i] as string;
  return '';
}

/**
 * A 422's problems in people's words, grouped by the form field they are
 * about (the keys of lib/fieldpath's fieldKey): beside a field only what is
 * wrong is said, since its label already names the place.
 */
export function groupProblems(lang: Lang, err: unknown): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const details = detailsOf(err);
  for (const d of details) {
    const k = fieldKey(d.field || '');
    const list = m.get(k) ?? [];
    list.push(problemMessage(lang, d));
    m.set(k, list);
  }
  return m;
}

/** Whole sentences for a 422's problems (place and what is wrong), for a form that has no field to put them beside. */
export function problemSentences(lang: Lang, err: unknown, ctx: ProblemContext = {}, skip: string[] = []): string[] {
  return detailsOf(err)
    .filter((d) => !skip.includes(fieldKey(d.field || '')))
    .map((d) => problemSentence(lang, d, ctx));
}

function detailsOf(err: unknown): FieldProblem[] {
  if (err && typeof err === 'object' && 'details' in err && Array.isArray((err as { details: unknown }).details)) {
    return (err as { details: FieldProblem[] }).details;
  }
  return [];
}
