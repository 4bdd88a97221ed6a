/**
 * @module Which survey method a client base can carry — e-mail, SMS, phone interview or a mix — with the answers
 * each would bring at typical response rates and the NPS margin of error that many answers give.
 */
import { estimateNps, type Tally } from './nps.js';

export type SurveyMethod = 'email' | 'sms' | 'phone' | 'mix';
export type Channel = Exclude<SurveyMethod, 'mix'>;

/** A share range, e.g. 0.10–0.15. */
export interface RateRange {
  low: number;
  high: number;
}

/**
 * Response rates assumed when an organisation has none of its own yet (to become per-org settings fed by the
 * rates Sarafan measures once surveys run). They are the planning figures of issue #4, in line with what
 * survey vendors publish for B2C relationship NPS: e-mail 10–15% of delivered invitations answer; SMS 5–10%
 * (shorter message, link on a phone, more ignored); a phone interview reaches and completes 30–50% of the
 * customers called (the rest do not pick up, refuse or ask to call back). Plans use `low`, so they hold in a
 * bad month too.
 */
export const RESPONSE_RATES: Record<Channel, RateRange> = {
  email: { low: 0.1, high: 0.15 },
  sms: { low: 0.05, high: 0.1 },
  phone: { low: 0.3, high: 0.5 },
};

/**
 * Dials an operator makes in an hour for a two-question NPS interview (assumption: ~1.5 min per dial
 * including no-answers and notes; measured rates from the phone console should replace it).
 */
export const CALLS_PER_OPERATOR_HOUR = 40;

/**
 * The split a plan assumes to turn a number of answers into a margin of error: 50% promoters, 30% passives,
 * 20% detractors, i.e. NPS 30, a typical B2C score. Trinomial variance pP + pD − (pP − pD)² = 0.61 (Rocks 2016).
 */
export const EXPECTED_SPLIT = { promoters: 0.5, passives: 0.3, detractors: 0.2 } as const;

/** ±10 points at 95%: enough to read a company-wide score and see a 20-point change. */
export const TARGET_MOE = 10;
/** ±5 points: enough to follow the score month to month. */
export const PRECISE_MOE = 5;

/**
 * A single channel is recommended alone only when it reaches at least this share of the customers who may be
 * surveyed: surveying only the 30% who left an e-mail measures those 30%, not the base (coverage bias).
 */
export const MIN_COVERAGE = 0.6;

/** Where the base stands: how many customers each channel reaches (distinct addresses, opt-outs removed). */
export interface Reach {
  /** Customers in the base. */
  base: number;
  /** Customers who may be surveyed at all (not opted out). */
  contactable: number;
  /** Distinct usable e-mail addresses. */
  email: number;
  /** Distinct mobile numbers (SMS). */
  sms: number;
  /** Distinct valid numbers, mobile or landline (a call). */
  phone: number;
  /** Customers reached by SMS but not by e-mail. */
  smsOnly: number;
  /** Customers reached by a call but by neither e-mail nor SMS (landline only). */
  phoneOnly: number;
}

export interface MethodPlan {
  method: SurveyMethod;
  /** Invitations that can go out (customers to call, for the phone). */
  reach: number;
  /** reach / contactable customers. */
  coverage: number;
  /** Expected answers at the low and high response rate. */
  answers: RateRange;
  /** NPS margin of error (95%, points) at those answers; null below one answer. */
  moe: { low: number | null; high: number | null };
  /** The channels of a mix, in the order they are used. */
  parts: { method: Channel; reach: number; answers: RateRange }[];
  /** Operator hours to call everyone reachable, and to collect the answers needed (phone only). */
  operatorHours: { all: number; needed: number } | null;
  /** Expected answers (low rate) reach the number needed for ±TARGET_MOE. */
  meetsTarget: boolean;
  representative: boolean;
}

export interface Recommendation {
  method: SurveyMethod | 'none';
  /** The chosen method gives at least the answers needed for ±TARGET_MOE at the low response rate. */
  reliable: boolean;
  answersNeeded: { target: number; precise: number };
  targetMoe: number;
  preciseMoe: number;
  plans: MethodPlan[];
  /** Why, step by step, in plain words. */
  reasons: { ru: string; en: string }[];
}

/** The tally of `n` answers split as EXPECTED_SPLIT (rounded to whole answers). */
export function expectedTally(n: number): Tally {
  const promoters = Math.round(n * EXPECTED_SPLIT.promoters);
  const detractors = Math.round(n * EXPECTED_SPLIT.detractors);
  return { promoters, detractors, passives: Math.max(0, n - promoters - detractors) };
}

/** The NPS margin of error (95%, points) that `n` answers at the expected split give; null for n = 0. */
export function moeAt(n: number): number | null {
  return estimateNps(expectedTally(Math.max(0, Math.floor(n)))).moe;
}

/**
 * The fewest answers whose margin of error is at most `moe` points. Starts from the Wald formula
 * n = (1.96·100/moe)²·0.61 (±10 → 234.4, ±5 → 937.4) and steps to the first n that estimateNps confirms.
 */
export function answersNeeded(moe: number): number {
  const { promoters: p, detractors: d } = EXPECTED_SPLIT;
  const variance = p + d - (p - d) ** 2;
  let n = Math.max(1, Math.floor(((1.96 * 100) / moe) ** 2 * variance) - 3);
  while ((moeAt(n) ?? Number.POSITIVE_INFINITY) > moe) n++;
  return n;
}

const answersAt = (reach: number, rate: RateRange): RateRange => ({
  low: Math.floor(reach * rate.low),
  high: Math.floor(reach * rate.high),
});

function planOf(
  method: SurveyMethod,
  parts: MethodPlan['parts'],
  contactable: number,
  needed: number,
): MethodPlan {
  const reach = parts.reduce((sum, p) => sum + p.reach, 0);
  const answers = {
    low: parts.reduce((sum, p) => sum + p.answers.low, 0),
    high: parts.reduce((sum, p) => sum + p.answers.high, 0),
  };
  const phone = parts.find((p) => p.method === 'phone');
  const operatorHours = phone
    ? {
        all: phone.reach / CALLS_PER_OPERATOR_HOUR,
        needed:
          Math.min(
            phone.reach,
            Math.ceil(Math.max(0, needed - answers.low + phone.answers.low) / RESPONSE_RATES.phone.low),
          ) / CALLS_PER_OPERATOR_HOUR,
      }
    : null;
  const coverage = contactable === 0 ? 0 : Math.min(1, reach / contactable);
  return {
    method,
    reach,
    coverage,
    answers,
    moe: { low: moeAt(answers.low), high: moeAt(answers.high) },
    parts,
    operatorHours,
    meetsTarget: answers.low >= needed && answers.low > 0,
    representative: coverage >= MIN_COVERAGE,
  };
}

const part = (method: Channel, reach: number) => ({
  method,
  reach,
  answers: answersAt(reach, RESPONSE_RATES[method]),
});

const NAMES: Record<SurveyMethod, { ru: string; en: string }> = {
  email: { ru: 'e-mail', en: 'e-mail' },
  sms: { ru: 'SMS', en: 'SMS' },
  phone: { ru: 'телефонное интервью', en: 'phone interview' },
  mix: { ru: 'смешанный опрос', en: 'a mix' },
};

const ru = (n: number) => Math.round(n).toLocaleString('ru-RU');
const en = (n: number) => Math.round(n).toLocaleString('en-US');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const pct = (share: number) => `${Math.round(share * 100)}%`;
const pm = (moe: number | null) => (moe === null ? '—' : `±${Math.round(moe)}`);

/** "e-mail: 4 100 адресов → ~410–615 ответов (10–15%) → NPS ±10…±8" in both languages. */
function describePlan(plan: MethodPlan): { ru: string; en: string } {
  const rates = plan.parts.map(
    (p) => `${pct(RESPONSE_RATES[p.method].low)}–${pct(RESPONSE_RATES[p.method].high)}`,
  );
  const hours = plan.operatorHours
    ? {
        ru: `; ${CALLS_PER_OPERATOR_HOUR} звонков в час на оператора — ${ru(Math.ceil(plan.operatorHours.needed))} операторо-часов на нужную выборку`,
        en: `; at ${CALLS_PER_OPERATOR_HOUR} calls per operator-hour, ${en(Math.ceil(plan.operatorHours.needed))} operator-hours for the sample needed`,
      }
    : { ru: '', en: '' };
  if (plan.method === 'mix') {
    const ruParts = plan.parts.map((p) => `${NAMES[p.method].ru} ${ru(p.reach)}`).join(' + ');
    const enParts = plan.parts.map((p) => `${NAMES[p.method].en} ${en(p.reach)}`).join(' + ');
    return {
      ru: `Смешанный опрос: ${ruParts} (охват ${pct(plan.coverage)} базы) → ~${ru(plan.answers.low)}–${ru(plan.answers.high)} ответов → NPS ${pm(plan.moe.low)}…${pm(plan.moe.high)}${hours.ru}`,
      en: `Mix: ${enParts} (covers ${pct(plan.coverage)} of the base) → ~${en(plan.answers.low)}–${en(plan.answers.high)} answers → NPS ${pm(plan.moe.low)}…${pm(plan.moe.high)}${hours.en}`,
    };
  }
  const what = {
    email: { ru: 'действующих адресов', en: 'valid addresses' },
    sms: { ru: 'мобильных номеров', en: 'mobile numbers' },
    phone: { ru: 'номеров для звонка', en: 'numbers to call' },
  }[plan.method];
  return {
    ru: `${cap(NAMES[plan.method].ru)}: ${ru(plan.reach)} ${what.ru} (${pct(plan.coverage)} базы) → при отклике ${rates[0]} ~${ru(plan.answers.low)}–${ru(plan.answers.high)} ответов → NPS ${pm(plan.moe.low)}…${pm(plan.moe.high)}${hours.ru}`,
    en: `${cap(NAMES[plan.method].en)}: ${en(plan.reach)} ${what.en} (${pct(plan.coverage)} of the base) → at ${rates[0]} response ~${en(plan.answers.low)}–${en(plan.answers.high)} answers → NPS ${pm(plan.moe.low)}…${pm(plan.moe.high)}${hours.en}`,
  };
}

/**
 * The rule, cheapest first:
 * 1. a single channel — e-mail, then SMS, then phone (cost per answer grows in that order) — that alone covers
 *    at least MIN_COVERAGE of the contactable customers and, at its low response rate, brings the answers
 *    needed for ±TARGET_MOE;
 * 2. otherwise the mix (e-mail to everyone with an address, SMS to those without, a call to those with only a
 *    landline) when it brings those answers;
 * 3. otherwise no method is reliable: the one with the most answers is named, with how many are missing.
 */
export function recommendSurveyMethod(reach: Reach): Recommendation {
  const needed = answersNeeded(TARGET_MOE);
  const precise = answersNeeded(PRECISE_MOE);
  const single = (['email', 'sms', 'phone'] as const).map((m) =>
    planOf(m, [part(m, reach[m])], reach.contactable, needed),
  );
  const mixParts = [
    part('email', reach.email),
    part('sms', reach.smsOnly),
    part('phone', reach.phoneOnly),
  ].filter((p) => p.reach > 0);
  const mix = planOf('mix', mixParts, reach.contactable, needed);
  const plans = [...single, mix];
  const reasons: { ru: string; en: string }[] = [
    {
      ru: `Для NPS с точностью ±${TARGET_MOE} пунктов нужно ${ru(needed)} ответов, для ±${PRECISE_MOE} — ${ru(precise)} (при ожидаемом NPS около 30: 50% промоутеров, 20% критиков).`,
      en: `An NPS within ±${TARGET_MOE} points needs ${en(needed)} answers, within ±${PRECISE_MOE} — ${en(precise)} (for an expected NPS near 30: 50% promoters, 20% detractors).`,
    },
    ...plans.filter((p) => p.reach > 0 && (p.method !== 'mix' || p.parts.length > 1)).map(describePlan),
  ];

  const base = {
    answersNeeded: { target: needed, precise },
    targetMoe: TARGET_MOE,
    preciseMoe: PRECISE_MOE,
    plans,
  };
  if (reach.contactable === 0 || plans.every((p) => p.reach === 0)) {
    reasons.push({
      ru: 'Ни один клиент не доступен ни по e-mail, ни по телефону: опрос по базе невозможен, пока учётная система не передаст контакты.',
      en: 'No customer can be reached by e-mail or phone: the base cannot be surveyed until the accounting system supplies contacts.',
    });
    return { ...base, method: 'none', reliable: false, reasons };
  }

  const chosen = single.find((p) => p.representative && p.meetsTarget);
  if (chosen) {
    const cheaper = single.slice(0, single.indexOf(chosen));
    for (const c of cheaper) reasons.push(whyNot(c, needed));
    reasons.push({
      ru: `Рекомендация: ${NAMES[chosen.method].ru} — самый дешёвый канал, который охватывает не меньше ${pct(MIN_COVERAGE)} базы и даёт нужную выборку.`,
      en: `Recommended: ${NAMES[chosen.method].en} — the cheapest channel that covers at least ${pct(MIN_COVERAGE)} of the base and brings the sample needed.`,
    });
    return { ...base, method: chosen.method, reliable: true, reasons };
  }

  if (mix.meetsTarget && mix.parts.length > 1) {
    for (const c of single) reasons.push(whyNot(c, needed));
    reasons.push({
      ru: `Рекомендация: смешанный опрос — ни один канал сам по себе не охватывает ${pct(MIN_COVERAGE)} базы с нужной выборкой, вместе они охватывают ${pct(mix.coverage)}.`,
      en: `Recommended: a mix — no channel alone covers ${pct(MIN_COVERAGE)} of the base with the sample needed; together they cover ${pct(mix.coverage)}.`,
    });
    return { ...base, method: 'mix', reliable: true, reasons };
  }

  const options = mix.parts.length > 1 ? plans : single;
  const best = options.reduce((a, b) => (b.answers.low > a.answers.low ? b : a));
  if (best.meetsTarget) {
    // Enough answers, but only from a part of the base: say so rather than hide it.
    reasons.push({
      ru: `Рекомендация: ${NAMES[best.method].ru} — выборки хватает, но канал охватывает лишь ${pct(best.coverage)} базы: результат описывает тех, у кого есть этот контакт.`,
      en: `Recommended: ${NAMES[best.method].en} — the sample is enough, but the channel covers only ${pct(best.coverage)} of the base: the score describes those who have this contact.`,
    });
    return { ...base, method: best.method, reliable: true, reasons };
  }
  const tooFew = best.answers.low < 30;
  reasons.push({
    ru: `Выборка мала для надёжного NPS: лучший вариант (${NAMES[best.method].ru}) даст ~${ru(best.answers.low)} ответов (NPS ${pm(best.moe.low)}), а нужно ${ru(needed)}.${tooFew ? ' Меньше 30 ответов — оценка почти случайна.' : ''} Пополните контакты в учётной системе или опрашивайте после каждого визита, накапливая ответы.`,
    en: `The sample is too small for a reliable NPS: the best option (${NAMES[best.method].en}) brings ~${en(best.answers.low)} answers (NPS ${pm(best.moe.low)}) and ${en(needed)} are needed.${tooFew ? ' Below 30 answers the score is little better than chance.' : ''} Add contacts in the accounting system, or survey after each visit and let answers accumulate.`,
  });
  return { ...base, method: best.method, reliable: false, reasons };
}

function whyNot(plan: MethodPlan, needed: number): { ru: string; en: string } {
  if (!plan.representative) {
    return {
      ru: `${cap(NAMES[plan.method].ru)} не подходит один: охват ${pct(plan.coverage)} базы меньше ${pct(MIN_COVERAGE)}.`,
      en: `${cap(NAMES[plan.method].en)} will not do alone: it covers ${pct(plan.coverage)} of the base, less than ${pct(MIN_COVERAGE)}.`,
    };
  }
  return {
    ru: `${cap(NAMES[plan.method].ru)} не подходит один: ~${ru(plan.answers.low)} ответов меньше нужных ${ru(needed)}.`,
    en: `${cap(NAMES[plan.method].en)} will not do alone: ~${en(plan.answers.low)} answers, fewer than the ${en(needed)} needed.`,
  };
}
