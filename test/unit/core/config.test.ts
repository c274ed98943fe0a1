import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/config';

const warningsFor = (raw: unknown) => {
  const warnings: string[] = [];
  validateConfig(raw, (m) => warnings.push(m));
  return warnings;
};

describe('validateConfig', () => {
  it('warns when a category pattern covers the consent cookie, under any of its names', () => {
    expect(
      warningsFor({ cookieName: 'ads_consent', categories: { advertising: { cookies: ['ads_*', '_gcl_au'] } } }),
    ).toEqual([
      'categories.advertising.cookies: "ads_*" covers the consent cookie "ads_consent", which is never cleared',
    ]);
    expect(
      warningsFor({ categories: { analytics: { cookies: ['consentline'] }, social: { cookies: ['__Host-*'] } } }),
    ).toEqual([
      'categories.analytics.cookies: "consentline" covers the consent cookie "consentline", which is never cleared',
      'categories.social.cookies: "__Host-*" covers the consent cookie "__Host-consentline", which is never cleared',
    ]);
  });

  it('says nothing when no pattern covers it', () => {
    expect(warningsFor({ cookieName: 'cl', categories: { advertising: { cookies: ['ads_*', 'c'] } } })).toEqual([]);
  });

  it('warns when more categories are given than it keeps, naming how many it kept', () => {
    const categories = Object.fromEntries(Array.from({ length: 22 }, (_, i) => [`c${i}`, { label: `C${i}` }]));
    const warnings: string[] = [];
    const config = validateConfig({ categories }, (m) => warnings.push(m));
    expect(config.categories?.map((c) => c.id)).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`));
    expect(warnings).toEqual(['categories: 22 given, the first 20 kept']);
  });
});
