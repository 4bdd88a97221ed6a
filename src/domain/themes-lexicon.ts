/**
 * @module The polarity lexicon of theme tagging, Russian and English: words that praise or complain (matched by
 * Snowball stems, so 'грязно', 'грязный', 'грязные' are one entry), and the phrases that make a wish ('хотелось бы',
 * 'добавьте', 'would be nice'), matched by their folded words. Kept beside the taxonomy rather than in it: an
 * organisation edits what its themes are about, not what "dirty" means.
 */
import { foldCase, keyOf } from './text.js';

const list = (words: string) =>
  words
    .split(',')
    .map((w) => foldCase(w.trim()))
    .filter(Boolean);

const POSITIVE = list(`
  хороший, хорошо, отличный, отлично, прекрасный, прекрасно, замечательный, замечательно, великолепный, супер,
  классный, классно, понравилось, нравится, люблю, обожаю, удобно, удобный, чисто, чистый, чище, чистота, чистенько,
  вежливый, вежливо, вежливость, приветливый, приветливо, дружелюбный, доброжелательный, внимательный, внимательно,
  отзывчивый, профессиональный, профессионально, профессионализм, компетентный, быстро, быстрый, оперативно, уютно,
  уютный, комфортно, комфортный, спасибо, благодарю, благодарность, доволен, довольна, довольны, рекомендую, лучший,
  лучшее, лучшая, лучшие, идеально, идеальный, шикарный, шикарно, круто, крутой, приятно, приятный, просторно, просторный,
  современный, новые, новый, чуткий, заботливый, доступные, выгодно, выгодный, недорого, недорогой, бесплатно, тихо,
  свежий, свежо, аккуратно, вкусно, вкусный, радует, рад, рада, мило, душевно, качественно, качественный, опытный,
  грамотный, грамотно, помогли, помог, помогла, четко, молодцы, молодец, исправный, работает, решили, удобное,
  улыбчивый, улыбка, теплый, тепло, спокойно, порядок, достаточно, хватает, успел, успела, светло,
  good, great, excellent, amazing, awesome, fantastic, wonderful, perfect, love, loved, lovely, nice, friendly,
  polite, helpful, clean, spotless, fast, quick, quickly, convenient, comfortable, cozy, cosy, spacious, professional,
  attentive, welcoming, best, happy, pleased, recommend, thank, thanks, enjoy, enjoyed, pleasant, affordable,
  reasonable, modern, new, quiet, fresh, tidy, easy, smooth, efficient, knowledgeable, kind, caring, brilliant,
  superb, impressive, cheap, free, works, working, well, courteous, fine, super, cool, glad, warm, smiling, smile,
  organised, organized, enough, solved, bright, handy, peace, lifesaver
`);

const NEGATIVE = list(`
  плохой, плохо, ужасный, ужасно, ужас, отвратительный, отвратительно, кошмар, кошмарный, грубый, грубо, грубость,
  нагрубил, нагрубила, хам, хамство, хамят, хамит, хамка, невежливый, невежливо, грязно, грязный, грязь, пыль, пыльно,
  грязнее, вонь, воняет, вонючий, запах, плесень, грибок, антисанитария, мусор, бардак, долго, медленно, медленный, очередь,
  очереди, ждать, ждал, ждала, ждали, ожидание, дорого, дорогой, дороговато, дороже, переплата, переплачивать,
  подорожание, подорожал, подорожали, сломан, сломано, сломался, сломаны, сломанный, неисправный, старый, старые,
  изношенный, ржавый, тесно, тесный, душно, жарко, холодно, шумно, шум, громко, людно, многолюдно, толпа, переполнен,
  неудобно, неудобный, некомпетентный, равнодушный, равнодушие, безразличие, безразличный, обман, обманули,
  навязывают, навязчиво, опоздал, опоздала, опоздание, отменили, отмена, отменяют, перенесли, проблема, проблемы,
  жалоба, претензии, претензий, разочарован, разочарована, разочарование, недоволен, недовольна, мало, нехватка,
  невкусно, невкусный, неприятно, неприятный, скучно, глючит, глюки, вылетает, зависает, ошибка, сбой, тормозит,
  неудобное, хуже, худший, отказали, игнорируют, игнорировали, задержка, задерживают, навязывали,
  холодная, слабый, слабо, бесит, раздражает, хлорка, нагло, наглый, невозможно, сложно, непонятно,
  проблем, испортили, отказались, оставляет, оставляют, мутная, скользко, пустой, кричит, ругается, болезненная,
  завышены, обсчитали, занята, переполнены, кусаются, жара, грубит, хамил, опозданием, толкаются, протолкнуться,
  bad, terrible, awful, horrible, poor, poorly, rude, rudely, rudeness, dirty, filthy, dirt, dust, dusty, slow, slowly,
  long, wait, waiting, waited, queue, queues, expensive, overpriced, pricey, broken, old, outdated, crowded, packed,
  noisy, loud, cold, stuffy, smell, smelly, stink, stinks, unfriendly, unhelpful, impolite, disappointed,
  disappointing, problem, problems, issue, issues, complaint, worst, worse, annoying, uncomfortable, inconvenient,
  cramped, mess, messy, mould, mold, late, cancelled, canceled, crash, crashes, bug, buggy, glitch, error, lag,
  confusing, difficult, hard, impossible, ignored, ignore, unprofessional, incompetent, careless, lack, hate, sucks,
  mediocre, unclean, unhygienic, scam, cheated, overcharged, delay, delayed, forever, nightmare, worn, rusty,
  complain, useless, unreliable, unacceptable, freezing, gross, disgusting, rushed, ruined, refused,
  dim, slippery, empty, pushy, upselling, ignore, yells, shouts, cloudy, painful, inflated, full
`);

/** Key (src/domain/text.ts keyOf) → +1 (praise) or −1 (complaint). Where a key is in both lists, it says nothing. */
export const SENTIMENT: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  const add = (words: string[], sign: number) => {
    for (const phrase of words)
      for (const word of phrase.split(/\s+/)) {
        const key = keyOf(word);
        const was = map.get(key);
        map.set(key, was === undefined || was === sign ? sign : 0);
      }
  };
  add(POSITIVE, 1);
  add(NEGATIVE, -1);
  for (const [stem, sign] of map) if (sign === 0) map.delete(stem);
  return map;
})();

/**
 * Phrases that make what follows in the sentence a wish: the subjunctive ('было бы', 'добавили бы'), requests
 * ('добавьте', 'please add'), suggestions. Folded words in a row.
 */
export const WISH_CUES: readonly string[][] = list(`
  бы, хотелось, хочется, хочу чтобы, хотим чтобы, добавьте, добавить, сделайте, поставьте, установите, купите,
  почините, верните, продлите, расширьте, увеличьте, откройте, организуйте, пожалуйста, предлагаю, предложение,
  пожелание, пожелания, желательно, надеюсь, пусть, просьба, прошу, помешало, помешает, помешал, помешали, помешала,
  нужно больше, надо больше, побольше, почаще, было бы здорово,
  would be, would like, would love, i wish, wish, please, hope, suggest, suggestion, should, could be, could you,
  add, consider, need more, needs more, bring back, it'd be, i'd like, i'd love, if only, why not, more often
`).map((cue) => cue.split(/\s+/));

/** Words whose clause is a recommendation, not a wish, even with 'бы' ('я бы порекомендовал'). */
export const RECOMMEND: ReadonlyMap<string, true> = new Map(
  list('рекомендую, порекомендовал, посоветовал, советую, recommend, recommended').map((w) => [
    keyOf(w),
    true,
  ]),
);
