/** @module Counts a stream of customers' decrypted e-mails and phones: what is valid, reachable, duplicated. */
import { checkEmail } from './email-check.js';
import { checkPhone } from './phone-check.js';

/** One customer as the audit streams it: contact details decrypted, blind indexes to find duplicates. */
export interface CustomerPoints {
  id: string;
  email: string | null;
  emailKey: string | null;
  emailSuppressed: boolean;
  phone: string | null;
  phoneKey: string | null;
  phoneSuppressed: boolean;
  optedOut: boolean;
}

export interface EmailCounts {
  /** Customers with something in the e-mail field. */
  present: number;
  /** Correct syntax and not a throw-away domain. */
  valid: number;
  /** Wrong syntax. */
  invalid: number;
  disposable: number;
  /** Shared mailboxes (info@, zakaz@…), counted within `valid`. */
  role: number;
  /** Obvious misspellings of a big domain (gmial.com), counted within `valid`: a warning. */
  typo: number;
  /** Customers whose address is also another customer's (same blind index). */
  duplicate: number;
  /** Customers whose address is on the suppression list (unsubscribed, bounced, complained). */
  suppressed: number;
  /** Distinct addresses a survey may go to: valid, no role, no typo, not suppressed, customer not opted out. */
  reachable: number;
}

export interface PhoneCounts {
  present: number;
  /** A real number (libphonenumber), mobile or not. */
  valid: number;
  mobile: number;
  /** Valid but not mobile: fixed line, toll-free, VoIP. */
  landline: number;
  invalid: number;
  duplicate: number;
  /** On the SMS suppression list. */
  suppressed: number;
  /** Distinct mobiles an SMS may go to. */
  smsReachable: number;
  /** Distinct numbers an operator may call (mobile or landline). */
  callReachable: number;
}

export interface ContactPointCounts {
  /** Customers counted. */
  customers: number;
  email: EmailCounts;
  phone: PhoneCounts;
  /** Customers with neither a valid e-mail nor a valid phone. */
  neither: number;
  /** Customers whose e-mail or phone is also another customer's: probably the same person twice. */
  duplicateCustomers: number;
  /** Customers reached by SMS but not by e-mail, and by a call only (for a mixed survey). */
  smsOnly: number;
  phoneOnly: number;
}

export type ProblemKind =
  | 'email_invalid'
  | 'email_disposable'
  | 'email_role'
  | 'email_typo'
  | 'phone_invalid'
  | 'phone_landline';

/** A few customers with each problem, for whoever fixes the data (personal data: never shown to analysts). */
export interface ProblemExample {
  kind: ProblemKind;
  customerId: string;
  value: string;
  /** The probable correct value (gmial.com → gmail.com), when there is one. */
  suggestion: string | null;
}

const emptyEmail = (): EmailCounts => ({
  present: 0,
  valid: 0,
  invalid: 0,
  disposable: 0,
  role: 0,
  typo: 0,
  duplicate: 0,
  suppressed: 0,
  reachable: 0,
});
const emptyPhone = (): PhoneCounts => ({
  present: 0,
  valid: 0,
  mobile: 0,
  landline: 0,
  invalid: 0,
  duplicate: 0,
  suppressed: 0,
  smsReachable: 0,
  callReachable: 0,
});

/**
 * Accumulates customers batch by batch. Duplicates are known up front as the blind indexes held by more than
 * one customer (one GROUP BY in SQL); only those are remembered while streaming, so memory grows with the
 * duplicates, not with the base. An address shared by several customers is reached once.
 */
export class ContactPointTally {
  private readonly counts: ContactPointCounts = {
    customers: 0,
    email: emptyEmail(),
    phone: emptyPhone(),
    neither: 0,
    duplicateCustomers: 0,
    smsOnly: 0,
    phoneOnly: 0,
  };
  private readonly reachedEmail = new Set<string>();
  private readonly reachedSms = new Set<string>();
  private readonly reachedCall = new Set<string>();
  private readonly examples: ProblemExample[] = [];
  private readonly examplesPerKind: number;

  constructor(
    private readonly sharedEmailKeys: ReadonlySet<string>,
    private readonly sharedPhoneKeys: ReadonlySet<string>,
    options: { examplesPerKind?: number } = {},
  ) {
    this.examplesPerKind = options.examplesPerKind ?? 5;
  }

  add(c: CustomerPoints): void {
    const n = this.counts;
    n.customers++;
    const emailShared = c.emailKey !== null && this.sharedEmailKeys.has(c.emailKey);
    const phoneShared = c.phoneKey !== null && this.sharedPhoneKeys.has(c.phoneKey);
    if (emailShared || phoneShared) n.duplicateCustomers++;

    let emailValid = false;
    let emailReached = false;
    if (c.email !== null && c.email.trim() !== '') {
      n.email.present++;
      const e = checkEmail(c.email);
      if (!e.syntaxValid) {
        n.email.invalid++;
        this.example('email_invalid', c.id, c.email, null);
      } else if (e.disposable) {
        n.email.disposable++;
        this.example('email_disposable', c.id, c.email, null);
      } else {
        emailValid = true;
        n.email.valid++;
        if (e.role) {
          n.email.role++;
          this.example('email_role', c.id, c.email, null);
        }
        if (e.typoOf) {
          n.email.typo++;
          this.example('email_typo', c.id, c.email, e.address!.replace(/@.*$/, `@${e.typoOf}`));
        }
      }
      if (emailShared) n.email.duplicate++;
      if (c.emailSuppressed) n.email.suppressed++;
      const usable = emailValid && !e.role && !e.typoOf && !c.emailSuppressed && !c.optedOut;
      emailReached = usable && this.firstTime(this.reachedEmail, emailShared, c.emailKey);
      if (emailReached) n.email.reachable++;
    }

    let phoneValid = false;
    let smsReached = false;
    let callReached = false;
    if (c.phone !== null && c.phone.trim() !== '') {
      n.phone.present++;
      const p = checkPhone(c.phone);
      if (p.kind === 'invalid') {
        n.phone.invalid++;
        this.example('phone_invalid', c.id, c.phone, null);
      } else {
        phoneValid = true;
        n.phone.valid++;
        if (p.kind === 'mobile') n.phone.mobile++;
        else {
          n.phone.landline++;
          this.example('phone_landline', c.id, c.phone, null);
        }
      }
      if (phoneShared) n.phone.duplicate++;
      if (c.phoneSuppressed) n.phone.suppressed++;
      if (phoneValid && !c.optedOut) {
        // An SMS unsubscribe stops texts, not an interviewer's call; opting out stops both.
        smsReached =
          p.kind === 'mobile' &&
          !c.phoneSuppressed &&
          this.firstTime(this.reachedSms, phoneShared, c.phoneKey);
        callReached = this.firstTime(this.reachedCall, phoneShared, c.phoneKey);
      }
      if (smsReached) n.phone.smsReachable++;
      if (callReached) n.phone.callReachable++;
    }

    if (!emailValid && !phoneValid) n.neither++;
    if (smsReached && !emailReached) n.smsOnly++;
    if (callReached && !smsReached && !emailReached) n.phoneOnly++;
  }

  /** True the first time a reachable address is met; an address no one else holds is always a first. */
  private firstTime(reached: Set<string>, shared: boolean, key: string | null): boolean {
    if (!shared || key === null) return true;
    if (reached.has(key)) return false;
    reached.add(key);
    return true;
  }

  private example(kind: ProblemKind, customerId: string, value: string, suggestion: string | null) {
    if (this.examples.filter((e) => e.kind === kind).length >= this.examplesPerKind) return;
    this.examples.push({ kind, customerId, value, suggestion });
  }

  result(): { counts: ContactPointCounts; examples: ProblemExample[] } {
    return { counts: structuredClone(this.counts), examples: [...this.examples] };
  }
}
