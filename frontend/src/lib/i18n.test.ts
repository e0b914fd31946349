import { describe, expect, it } from 'vitest';
import { detectLang, dictionaries, placeholders, translate } from './i18n';
import type { MessageKey } from './i18n';

describe('i18n', () => {
  const en = dictionaries.en;
  const zh = dictionaries['zh-CN'];

  it('has every key in both languages, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en) as MessageKey[]) {
      expect(en[k].trim(), `en ${k}`).not.toBe('');
      expect(zh[k].trim(), `zh ${k}`).not.toBe('');
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const k of Object.keys(en) as MessageKey[]) {
      expect(placeholders(zh[k]), k).toEqual(placeholders(en[k]));
    }
  });

  it('translates with variables', () => {
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
