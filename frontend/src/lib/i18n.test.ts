import { describe, expect, it } from 'vitest';
import { addMessages, detectLang, dictionaries, hasKey, loadLang, placeholders, translate } from './i18n';
import { enCandidate } from './messages-candidate';
import { zhCandidate } from './messages-candidate-zh';
import { enDone, zhDone } from './messages-done';
import { en as enStaff, zh as zhStaff } from './messages';

const catalogues: [string, Record<string, string>, Record<string, string>][] = [
  ['candidate', enCandidate, zhCandidate],
  ['thank-you page', enDone, zhDone],
  ['staff', enStaff, zhStaff],
];

describe('i18n', () => {
  for (const [name, en, zh] of catalogues) {
    it(`has every ${name} key in both languages, none empty`, () => {
      expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
      for (const k of Object.keys(en)) {
        expect(en[k].trim(), `en ${k}`).not.toBe('');
        expect(zh[k].trim(), `zh ${k}`).not.toBe('');
      }
    });

    it(`uses the same placeholders in both languages (${name})`, () => {
      for (const k of Object.keys(en)) {
        expect(placeholders(zh[k]), k).toEqual(placeholders(en[k]));
      }
    });
  }

  it('keeps each key in one catalogue only', () => {
    const both = [...Object.keys(enStaff), ...Object.keys(enDone)].filter((k) => k in enCandidate);
    expect(both).toEqual([]);
  });

  it('loads one language of the candidate texts at a time, on demand', async () => {
    expect(translate('zh-CN', 'take.start')).toBe('take.start');
    expect(hasKey('take.start')).toBe(false);
    await loadLang('zh-CN');
    expect(translate('zh-CN', 'take.start')).toBe(zhCandidate['take.start']);
    expect(hasKey('take.start')).toBe(true);
    // English is not there until asked for (the fallback is the key).
    expect(translate('en', 'take.start')).toBe('take.start');
    await loadLang('en');
    expect(translate('en', 'take.start')).toBe(enCandidate['take.start']);
  });

  it('knows the staff texts only once they are added', async () => {
    await Promise.all([loadLang('en'), loadLang('zh-CN')]);
    // The candidate's page never adds them: a staff key is not a message there.
    expect(hasKey('nav.exams')).toBe(false);
    expect(translate('zh-CN', 'nav.exams')).toBe('nav.exams');
    expect(translate('zh-CN', 'take.start')).toBe(zhCandidate['take.start']);
    addMessages(enStaff, zhStaff);
    expect(hasKey('nav.exams')).toBe(true);
    expect(translate('zh-CN', 'nav.exams')).toBe(zhStaff['nav.exams']);
    expect(translate('en', 'nav.exams')).toBe('Exams');
    expect(Object.keys(dictionaries.en).length).toBe(Object.keys(enCandidate).length + Object.keys(enStaff).length);
  });

  it('translates with variables', async () => {
    await Promise.all([loadLang('en'), loadLang('zh-CN')]);
    expect(translate('en', 'take.answered', { n: 2, total: 5 })).toBe('2 of 5 answered');
    expect(translate('zh-CN', 'take.answered', { n: 2, total: 5 })).toContain('2');
  });

  it('detects the language', () => {
    expect(detectLang(null, ['zh-CN', 'en'])).toBe('zh-CN');
    expect(detectLang(null, 'zh-TW')).toBe('zh-CN');
    expect(detectLang(null, ['de-DE', 'en-US'])).toBe('en');
    expect(detectLang(null, undefined)).toBe('en');
    expect(detectLang('en', ['zh-CN'])).toBe('en');
    expect(detectLang('zh-CN', ['en'])).toBe('zh-CN');
    expect(detectLang('fr', ['zh'])).toBe('zh-CN');
  });
});
