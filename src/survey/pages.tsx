/** @module The respondent-facing pages: the survey form, thanks, unknown link (404) and closed link (410). */
import { renderDocument } from './document.js';
import { surveyScript } from './page-assets.js';
import { surveyText, withOrgName } from './survey-text.js';

export type SurveyLocale = 'ru' | 'en';

export interface SurveyPageProps {
  locale: SurveyLocale;
  /** Shown above the question and put where the question says `{org}`. */
  orgName: string;
  /** The survey's question in this locale; empty means the standard NPS question. */
  question: string;
  /** The follow-up question; empty means the standard one. */
  reasonPrompt: string;
  /** Where the form posts `score` and `reason`. */
  actionUrl: string;
  /** From `?score=N` in an e-mail link: that score is checked, nothing is submitted. */
  preselectedScore: number | null;
  /** An answer already given that may still be changed: prefilled, with a note saying so. */
  existing: { score: number; reason: string | null } | null;
  /** Shown above the form with role="alert". */
  error: string | null;
  /** Employee survey: says the answer is not linked to the respondent, and how. */
  anonymous: boolean;
  /** Employee survey: the organisation's minimum group (default 5). */
  minGroupSize?: number;
}

export interface ThanksPageProps {
  locale: SurveyLocale;
  orgName: string;
  canAmend: boolean;
  amendUrl: string | null;
}

export interface NotFoundPageProps {
  locale: SurveyLocale;
}

export type GoneReason = 'answered' | 'expired' | 'closed';

export interface GonePageProps {
  locale: SurveyLocale;
  why: GoneReason;
}

const scores = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** The NPS segment a score falls in (Reichheld 2003): 0–6 detractor, 7–8 passive, 9–10 promoter. */
function segmentOf(score: number): 'detractor' | 'passive' | 'promoter' {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

function isScore(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10;
}

/** The survey form. Works fully without JavaScript; the inline script only hides and reveals. */
export function renderSurveyPage(p: SurveyPageProps): string {
  const t = surveyText(p.locale);
  const question = withOrgName(p.question.trim() || t.defaultQuestion, p.orgName);
  const reasonPrompt = p.reasonPrompt.trim() || t.defaultReason;
  // A score from the link is the respondent's latest intent, so it wins over an earlier answer.
  const checkedScore = isScore(p.preselectedScore)
    ? p.preselectedScore
    : isScore(p.existing?.score)
      ? p.existing.score
      : null;

  return renderDocument({
    locale: p.locale,
    title: withOrgName(t.surveyTitle, p.orgName),
    script: surveyScript,
    children: (
      <>
        <p class="org">{p.orgName}</p>
        {p.existing ? <p class="note">{t.canChange}</p> : null}
        {p.error ? (
          <p class="alert" role="alert">
            {p.error}
          </p>
        ) : null}
        <form id="survey" method="post" action={p.actionUrl}>
          <fieldset>
            <legend>{question}</legend>
            {p.anonymous ? <p class="note">{t.anonymous}</p> : null}
            {p.anonymous ? (
              <details class="note">
                <summary>{t.anonymityHow}</summary>
                <ul>
                  {[t.anonymityNoPerson, t.anonymityLink, t.anonymityGroups, t.anonymityComments].map(
                    (line) => (
                      <li key={line}>
                        {line.replaceAll('{org}', p.orgName).replaceAll('{k}', String(p.minGroupSize ?? 5))}
                      </li>
                    ),
                  )}
                </ul>
              </details>
            ) : null}
            <div class="scale">
              {scores.map((score) => (
                <label key={score} class={segmentOf(score)}>
                  <input
                    type="radio"
                    name="score"
                    value={String(score)}
                    checked={score === checkedScore}
                    required={score === 0}
                    aria-describedby={score === 0 ? 'score-low' : score === 10 ? 'score-high' : undefined}
                  />
                  <span>{score}</span>
                </label>
              ))}
            </div>
            <div class="ends">
              <span id="score-low">{t.scoreLow}</span>
              <span id="score-high">{t.scoreHigh}</span>
            </div>
          </fieldset>
          <div id="why" class="why">
            <label for="reason">
              {reasonPrompt} <small>({t.reasonOptional})</small>
            </label>
            <textarea id="reason" name="reason" maxlength={2000} rows={4}>
              {p.existing?.reason ?? ''}
            </textarea>
          </div>
          <button type="submit">{p.existing ? t.sendChange : t.send}</button>
        </form>
      </>
    ),
  });
}

/** Shown after the answer is recorded (the caller redirects here with 303). */
export function renderThanksPage(p: ThanksPageProps): string {
  const t = surveyText(p.locale);
  return renderDocument({
    locale: p.locale,
    title: t.thanksTitle,
    children: (
      <>
        <p class="org">{p.orgName}</p>
        <div class="mark" aria-hidden="true">
          ✓
        </div>
        <h1>{t.thanksTitle}</h1>
        <p>{t.thanksBody}</p>
        {p.canAmend && p.amendUrl ? (
          <p>
            {t.amendHint} <a href={p.amendUrl}>{t.amendLink}</a>
          </p>
        ) : p.canAmend ? (
          <p>{t.amendHintWithoutLink}</p>
        ) : null}
      </>
    ),
  });
}

/** For a link that matches no invitation or survey; the caller answers 404. */
export function renderNotFoundPage(p: NotFoundPageProps): string {
  const t = surveyText(p.locale);
  return renderDocument({
    locale: p.locale,
    title: t.notFoundTitle,
    children: (
      <>
        <h1>{t.notFoundTitle}</h1>
        <p>{t.notFoundBody}</p>
      </>
    ),
  });
}

/** For a link that no longer takes answers; the caller answers 410. */
export function renderGonePage(p: GonePageProps): string {
  const { title, body } = surveyText(p.locale).gone[p.why];
  return renderDocument({
    locale: p.locale,
    title,
    children: (
      <>
        {p.why === 'answered' ? (
          <div class="mark" aria-hidden="true">
            ✓
          </div>
        ) : null}
        <h1>{title}</h1>
        <p>{body}</p>
      </>
    ),
  });
}

export interface NoticePageProps {
  locale: SurveyLocale;
  title: string;
  body: string;
}

/** A plain message in the survey pages' look, for callers with their own situations (e.g. too many answers, 429). */
export function renderNoticePage(p: NoticePageProps): string {
  return renderDocument({
    locale: p.locale,
    title: p.title,
    children: (
      <>
        <h1>{p.title}</h1>
        <p>{p.body}</p>
      </>
    ),
  });
}
