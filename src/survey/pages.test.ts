/** @module What the survey pages render: texts in ru/en, the form contract, prefills, escaping, size budget. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  renderGonePage,
  renderNotFoundPage,
  renderSurveyPage,
  renderThanksPage,
  type SurveyLocale,
  type SurveyPageProps,
  surveyPageContentSecurityPolicy,
  surveyText,
} from './index.js';

const locales: SurveyLocale[] = ['ru', 'en'];

function buildSurveyPageProps(overrides: Partial<SurveyPageProps> = {}): SurveyPageProps {
  return {
    locale: 'en',
    orgName: 'Acme',
    question: '',
    reasonPrompt: '',
    actionUrl: '/s/abc123',
    preselectedScore: null,
    existing: null,
    error: null,
    anonymous: false,
    ...overrides,
  };
}

/** The values of the radios that carry `checked`. */
function checkedScores(html: string): string[] {
  return [...html.matchAll(/<input type="radio" name="score" value="(\d+)"[^>]*>/g)]
    .filter((match) => / checked=""/.test(match[0]))
    .map((match) => match[1]!);
}

function expectCompleteDocument(html: string, locale: SurveyLocale) {
  expect(html.startsWith(`<!doctype html><html lang="${locale}">`)).toBe(true);
  expect(html).toContain('<meta charset="utf-8"/>');
  expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
  expect(html).toContain('<meta name="robots" content="noindex"/>');
  expect(html).toMatch(/<title>[^<]+<\/title>/);
  // Nothing is fetched from anywhere: no linked files, fonts, images or remote URLs.
  expect(html).not.toMatch(/<link|<img|\ssrc=|@import|url\(|https?:\/\//);
}

describe('renderSurveyPage', () => {
  it.each(locales)(
    'renders a complete %s document with the standard question, scale labels and button',
    (locale) => {
      const t = surveyText(locale);
      const html = renderSurveyPage(buildSurveyPageProps({ locale, orgName: 'Acme' }));

      expectCompleteDocument(html, locale);
      expect(html).toContain(`<legend>${t.defaultQuestion.replace('{org}', 'Acme')}</legend>`);
      expect(html).toContain(t.defaultReason);
      expect(html).toContain(t.scoreLow);
      expect(html).toContain(t.scoreHigh);
      expect(html).toContain(`<button type="submit">${t.send}</button>`);
      expect(html).not.toContain(t.canChange);
      expect(html).not.toContain(t.anonymous);
      expect(html).not.toContain('role="alert"');
    },
  );

  it('has the default texts in both languages', () => {
    expect(surveyText('en').defaultQuestion).toBe(
      'How likely are you to recommend {org} to friends and colleagues?',
    );
    expect(surveyText('ru').defaultReason).toBe('Какова главная причина данной Вами оценки?');
    expect(surveyText('en').scoreLow).toBe('0 — not at all likely');
    expect(surveyText('en').scoreHigh).toBe('10 — extremely likely');
  });

  it('posts score and reason to the action URL from eleven radios 0..10 in a fieldset', () => {
    const html = renderSurveyPage(buildSurveyPageProps({ actionUrl: '/s/abc123' }));

    expect(html).toContain('<form id="survey" method="post" action="/s/abc123">');
    const values = [...html.matchAll(/<input type="radio" name="score" value="(\d+)"/g)].map((m) => m[1]);
    expect(values).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(html).toMatch(/<fieldset><legend>[^<]+<\/legend>/);
    expect(html).toContain('<textarea id="reason" name="reason" maxlength="2000"');
    expect(html).toContain('<label for="reason">');
    // Visible without JavaScript: nothing is hidden in the markup, only by the script.
    const markup = html.slice(html.indexOf('<body>'), html.indexOf('<script>'));
    expect(markup).not.toMatch(/\s(hidden|disabled)[\s=/>]/);
  });

  it('marks each score with its segment: 0–6, 7–8, 9–10', () => {
    const html = renderSurveyPage(buildSurveyPageProps());
    const segments = [
      ...html.matchAll(/<label class="(\w+)"><input type="radio" name="score" value="(\d+)"/g),
    ].map((m) => `${m[2]}:${m[1]}`);
    expect(segments).toEqual([
      '0:detractor',
      '1:detractor',
      '2:detractor',
      '3:detractor',
      '4:detractor',
      '5:detractor',
      '6:detractor',
      '7:passive',
      '8:passive',
      '9:promoter',
      '10:promoter',
    ]);
  });

  it("puts the organisation into a custom question at {org}, even when the name holds $& or $'", () => {
    const html = renderSurveyPage(
      buildSurveyPageProps({ question: 'Would you suggest {org} to a friend?', orgName: "A$&B$'C" }),
    );
    expect(html).toContain('<legend>Would you suggest A$&amp;B$&#39;C to a friend?</legend>');
  });

  it('uses a custom reason prompt when given', () => {
    const html = renderSurveyPage(buildSurveyPageProps({ reasonPrompt: 'What should we improve?' }));
    expect(html).toContain('What should we improve?');
    expect(html).not.toContain(surveyText('en').defaultReason);
  });

  it('checks the preselected score from the e-mail link and only that one', () => {
    expect(checkedScores(renderSurveyPage(buildSurveyPageProps({ preselectedScore: 7 })))).toEqual(['7']);
    expect(checkedScores(renderSurveyPage(buildSurveyPageProps({ preselectedScore: 0 })))).toEqual(['0']);
    expect(checkedScores(renderSurveyPage(buildSurveyPageProps({ preselectedScore: 10 })))).toEqual(['10']);
  });

  it('checks nothing for no score or a score outside 0..10', () => {
    for (const preselectedScore of [null, -1, 11, 3.5, Number.NaN]) {
      expect(checkedScores(renderSurveyPage(buildSurveyPageProps({ preselectedScore })))).toEqual([]);
    }
  });

  it.each(locales)('prefills an existing answer and says in %s that it can be changed', (locale) => {
    const t = surveyText(locale);
    const html = renderSurveyPage(
      buildSurveyPageProps({ locale, existing: { score: 4, reason: 'Slow delivery' } }),
    );
    expect(checkedScores(html)).toEqual(['4']);
    expect(html).toMatch(/<textarea[^>]*>Slow delivery<\/textarea>/);
    expect(html).toContain(t.canChange);
    expect(html).toContain(`<button type="submit">${t.sendChange}</button>`);
  });

  it('prefers the score from the link over the existing answer, keeping the existing reason', () => {
    const html = renderSurveyPage(
      buildSurveyPageProps({ preselectedScore: 9, existing: { score: 4, reason: 'Slow delivery' } }),
    );
    expect(checkedScores(html)).toEqual(['9']);
    expect(html).toContain('>Slow delivery</textarea>');
  });

  it('shows the error above the form as an alert', () => {
    const error = surveyText('en').scoreRequired;
    const html = renderSurveyPage(buildSurveyPageProps({ error }));
    expect(html).toContain(`<p class="alert" role="alert">${error}</p>`);
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf('<form'));
  });

  it.each(locales)('says in %s that an employee survey is anonymous', (locale) => {
    const html = renderSurveyPage(buildSurveyPageProps({ locale, anonymous: true }));
    expect(html).toContain(surveyText(locale).anonymous);
  });

  it('escapes every user-controlled text and attribute', () => {
    const script = '<script>alert(1)</script>';
    const sql = `'; DROP TABLE x; --`;
    const html = renderSurveyPage(
      buildSurveyPageProps({
        orgName: `${script}"Acme"`,
        question: `Rate {org} ${sql}`,
        reasonPrompt: `Why? ${script}`,
        actionUrl: `/s/x"><script>alert(2)</script>`,
        existing: { score: 3, reason: `</textarea>${script}${sql}` },
        error: `${script}"${sql}`,
      }),
    );

    // Our own inline script is the only one in the page.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('alert(1)</script>');
    expect(html).not.toContain("'; DROP");
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;&quot;Acme&quot; — survey</title>');
    expect(html).toContain('<p class="org">&lt;script&gt;alert(1)&lt;/script&gt;&quot;Acme&quot;</p>');
    expect(html).toContain(
      '<legend>Rate &lt;script&gt;alert(1)&lt;/script&gt;&quot;Acme&quot; &#39;; DROP TABLE x; --</legend>',
    );
    expect(html).toContain('action="/s/x&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    expect(html).toContain(
      '>&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;; DROP TABLE x; --</textarea>',
    );
    expect(html).toContain(
      '<p class="alert" role="alert">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;; DROP TABLE x; --</p>',
    );
  });
});

describe('renderThanksPage', () => {
  it.each(locales)('thanks the respondent in %s and offers the amend link', (locale) => {
    const t = surveyText(locale);
    const html = renderThanksPage({ locale, orgName: 'Acme', canAmend: true, amendUrl: '/s/abc123' });
    expectCompleteDocument(html, locale);
    expect(html).toContain(`<h1>${t.thanksTitle}</h1>`);
    expect(html).toContain(t.amendHint);
    expect(html).toContain(`<a href="/s/abc123">${t.amendLink}</a>`);
  });

  it('says how to amend when there is no link, and says nothing of amending when it is not allowed', () => {
    const t = surveyText('en');
    const withoutLink = renderThanksPage({ locale: 'en', orgName: 'Acme', canAmend: true, amendUrl: null });
    expect(withoutLink).toContain(t.amendHintWithoutLink);
    expect(withoutLink).not.toContain('<a ');

    const closed = renderThanksPage({
      locale: 'en',
      orgName: 'Acme',
      canAmend: false,
      amendUrl: '/s/abc123',
    });
    expect(closed).not.toContain(t.amendHint);
    expect(closed).not.toContain('<a ');
  });

  it('escapes the organisation name and the amend URL', () => {
    const html = renderThanksPage({
      locale: 'en',
      orgName: '<script>alert(1)</script>',
      canAmend: true,
      amendUrl: '/s/x"><script>alert(2)</script>',
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('href="/s/x&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
  });
});

describe('renderNotFoundPage', () => {
  it.each(locales)('explains an unknown link in %s', (locale) => {
    const t = surveyText(locale);
    const html = renderNotFoundPage({ locale });
    expectCompleteDocument(html, locale);
    expect(html).toContain(`<title>${t.notFoundTitle}</title>`);
    expect(html).toContain(t.notFoundBody);
  });
});

describe('renderGonePage', () => {
  it.each(
    locales.flatMap((locale) =>
      (['answered', 'expired', 'closed'] as const).map((why) => [locale, why] as const),
    ),
  )('explains in %s why the link is gone: %s', (locale, why) => {
    const { title, body } = surveyText(locale).gone[why];
    const html = renderGonePage({ locale, why });
    expectCompleteDocument(html, locale);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain(body);
  });

  it('says "You have already answered, thank you" for an answered link', () => {
    expect(renderGonePage({ locale: 'en', why: 'answered' })).toContain(
      'You have already answered, thank you',
    );
    expect(renderGonePage({ locale: 'ru', why: 'answered' })).toContain('Вы уже ответили, спасибо');
  });
});

describe('size budget', () => {
  // The heaviest survey page: every optional block, a long question and a 2000-character reason.
  const heaviest = renderSurveyPage(
    buildSurveyPageProps({
      locale: 'ru',
      orgName: 'Общество с ограниченной ответственностью «Ромашка и партнёры»',
      question: 'Насколько вероятно, что вы порекомендуете {org} друзьям, коллегам и знакомым? '.repeat(3),
      existing: { score: 8, reason: 'Причина. '.repeat(222) },
      error: surveyText('ru').reasonTooLong,
      anonymous: true,
    }),
  );

  it('keeps the heaviest survey page under 15 KB gzipped', () => {
    expect(gzipSync(heaviest).length).toBeLessThanOrEqual(15 * 1024);
  });

  it('keeps the plain survey page and the other pages under 6 KB gzipped', () => {
    const pages = [
      renderSurveyPage(buildSurveyPageProps({ locale: 'ru' })),
      renderThanksPage({ locale: 'ru', orgName: 'Acme', canAmend: true, amendUrl: '/s/abc123' }),
      renderNotFoundPage({ locale: 'ru' }),
      renderGonePage({ locale: 'ru', why: 'expired' }),
    ];
    for (const html of pages) expect(gzipSync(html).length).toBeLessThan(6 * 1024);
  });
});

describe('surveyPageContentSecurityPolicy', () => {
  it('admits exactly the inline style and script the pages carry, and nothing external', () => {
    const html = renderSurveyPage(buildSurveyPageProps());
    const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;

    expect(surveyPageContentSecurityPolicy).toContain(`style-src ${hashOf(style)}`);
    expect(surveyPageContentSecurityPolicy).toContain(`script-src ${hashOf(script)}`);
    expect(surveyPageContentSecurityPolicy).toContain("default-src 'none'");
  });
});
