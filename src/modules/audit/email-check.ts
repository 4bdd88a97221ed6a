/** @module Is an e-mail address worth surveying: syntax, disposable domain, role mailbox, obvious typo of a big domain. */
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';

export interface EmailCheck {
  /** The address as it will be written to (trimmed; the domain lower-cased); null when the syntax is wrong. */
  address: string | null;
  /** A sane subset of RFC 5322 §3.4.1 addr-spec: dot-atom local part and a DNS host name (RFC 1035 §2.3.1). */
  syntaxValid: boolean;
  /** The domain belongs to a throw-away mail service (disposable-email-domains list). */
  disposable: boolean;
  /** A shared mailbox of a company (info@, sales@, zakaz@…), not a person who could recommend anyone. */
  role: boolean;
  /** The big domain this one is most likely a misspelling of (gmial.com → gmail.com); null when none. */
  typoOf: string | null;
}

// The package's own isDisposableEmailDomain() builds its 5,000-entry Set on every call; build it once.
let disposableDomains: Set<string> | null = null;
function isDisposableDomain(domain: string): boolean {
  disposableDomains ??= disposableEmailBlocklistSet();
  return disposableDomains.has(domain);
}

// RFC 5322 atext: letters, digits and !#$%&'*+/=?^_`{|}~- ; a dot-atom is atext runs joined by single dots.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// A host label: letters (also Cyrillic, for .рф), digits and inner hyphens, 1–63 characters (RFC 1035 §2.3.4).
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
// A top-level domain is letters (ru, com, рф) or an IDN in punycode (xn--p1ai).
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;

/** Parses the address; quoted local parts, comments and IP-literal domains (legal but never real customers) fail. */
function parseAddress(raw: string): { local: string; domain: string } | null {
  const value = raw.trim();
  // RFC 5321 §4.5.3.1: at most 254 characters in a path, 64 in a local part.
  if (value.length === 0 || value.length > 254) return null;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return null;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > 64 || !DOT_ATOM.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels.at(-1)!)) return null;
  return { local, domain };
}

/**
 * Role mailboxes: read by whoever is on duty, so an NPS invitation to one measures no customer. The Russian
 * market's usual ones are written in Latin transliteration (zakaz = order, buh = accounting, priemnaya =
 * reception, kadry = HR…).
 */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'abuse',
  'account',
  'accounting',
  'accounts',
  'admin',
  'administrator',
  'billing',
  'booking',
  'career',
  'careers',
  'contact',
  'contacts',
  'donotreply',
  'feedback',
  'hello',
  'help',
  'helpdesk',
  'hostmaster',
  'hr',
  'info',
  'jobs',
  'mail',
  'mailer-daemon',
  'marketing',
  'media',
  'newsletter',
  'noreply',
  'no-reply',
  'do-not-reply',
  'office',
  'order',
  'orders',
  'postmaster',
  'press',
  'privacy',
  'reception',
  'root',
  'sales',
  'secretary',
  'security',
  'service',
  'shop',
  'support',
  'team',
  'webmaster',
  // ru market
  'buh',
  'bukh',
  'buhgalter',
  'buhgalteria',
  'buhgalteriya',
  'director',
  'dir',
  'kadry',
  'kanc',
  'klient',
  'magazin',
  'ofis',
  'otdel',
  'personal',
  'priem',
  'priemnaya',
  'priyemnaya',
  'reklama',
  'sekretar',
  'sklad',
  'snab',
  'zakaz',
  'zakazy',
  'zapis',
]);

/** info@, info2@, info.spb@, sales-msk@, no-reply@ are role mailboxes; anna.info@ and salesova@ are people. */
export function isRoleLocalPart(local: string): boolean {
  const base = local.toLowerCase().split('+')[0]!.replace(/\d+$/, '');
  if (ROLE_LOCAL_PARTS.has(base) || ROLE_LOCAL_PARTS.has(base.replace(/[._-]/g, ''))) return true;
  // A role word followed by a short qualifier: a city or branch code (info.spb, sales-msk, zakaz_2).
  const [first, ...rest] = base.split(/[._-]/);
  return (
    rest.length > 0 &&
    ROLE_LOCAL_PARTS.has(first!) &&
    rest.every((part) => part.length <= 4 || /^\d+$/.test(part))
  );
}

/** The mailbox providers most Russian and international customers use. */
export const BIG_DOMAINS: readonly string[] = [
  'mail.ru',
  'inbox.ru',
  'list.ru',
  'bk.ru',
  'internet.ru',
  'yandex.ru',
  'ya.ru',
  'yandex.com',
  'yandex.by',
  'yandex.kz',
  'rambler.ru',
  'gmail.com',
  'googlemail.com',
  'icloud.com',
  'me.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'yahoo.com',
  'protonmail.com',
  'proton.me',
];
const BIG = new Set(BIG_DOMAINS);

/** Misspellings of top-level domains on Russian and Latin keyboards: .ri .ry .eu for .ru; .con .cm .co for .com. */
const TLD_TYPOS: Record<string, string[]> = {
  ru: ['ri', 'ry', 'rj', 'tu', 'eu', 'r', 'ru.ru', 'rus', 'ur', 'ruu'],
  com: ['con', 'cm', 'co', 'om', 'comm', 'cim', 'vom', 'xom', 'c0m', 'com.ru'],
};

/** Names too short for an edit-distance guess (bail.ru or mall.ru may be real); their usual misspellings. */
const SHORT_NAME_TYPOS: Record<string, string> = {
  'mial.ru': 'mail.ru',
  'mali.ru': 'mail.ru',
  'maill.ru': 'mail.ru',
  'mai.ru': 'mail.ru',
  'meil.ru': 'mail.ru',
  'mael.ru': 'mail.ru',
  'mailru.ru': 'mail.ru',
  'mail.ru.ru': 'mail.ru',
  'mall.ru': 'mail.ru',
  'maik.ru': 'mail.ru',
  'inbox.r': 'inbox.ru',
  'inboks.ru': 'inbox.ru',
  'imbox.ru': 'inbox.ru',
  'lisr.ru': 'list.ru',
  'lis.ru': 'list.ru',
  'bk.ri': 'bk.ru',
  'bk.ry': 'bk.ru',
  'yandeks.ru': 'yandex.ru',
  'jandex.ru': 'yandex.ru',
  'gmail.ru': 'gmail.com',
};

/** Real providers one edit away from a big one (ymail.com is Yahoo's, mail.com is its own service). */
const REAL_NEIGHBOURS = new Set(['mail.com', 'ymail.com', 'email.com', 'gmx.com', 'yandex.ua', 'rambler.ua']);

/** Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap of neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The big domain `domain` is an obvious misspelling of, if any. */
export function typoOfDomain(domain: string): string | null {
  if (BIG.has(domain) || REAL_NEIGHBOURS.has(domain)) return null;
  const known = SHORT_NAME_TYPOS[domain];
  if (known) return known;
  for (const big of BIG_DOMAINS) {
    const dot = big.indexOf('.');
    const name = big.slice(0, dot);
    const tld = big.slice(dot + 1);
    // The right name with a mistyped zone: yandex.ri, gmail.con, mail.ry.
    if (domain.startsWith(`${name}.`) && TLD_TYPOS[tld]?.includes(domain.slice(dot + 1))) return big;
  }
  // One slip of the finger on a long name: gmial.com, yandx.ru, rambeler.ru, hotmal.com.
  if (domain.length < 8) return null;
  return BIG_DOMAINS.find((big) => big.length >= 8 && withinOneEdit(domain, big)) ?? null;
}

export function checkEmail(raw: string): EmailCheck {
  const parsed = parseAddress(raw);
  if (!parsed) return { address: null, syntaxValid: false, disposable: false, role: false, typoOf: null };
  // Some misspellings (gmial.com) are on the disposable list as catch-alls; for a customer they are a slip to fix.
  const typoOf = typoOfDomain(parsed.domain);
  return {
    address: `${parsed.local}@${parsed.domain}`,
    syntaxValid: true,
    disposable: typoOf === null && isDisposableDomain(parsed.domain),
    role: isRoleLocalPart(parsed.local),
    typoOf,
  };
}
