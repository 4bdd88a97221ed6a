// The closed-loop procedure document: a real .docx made from the org's own playbook, people and deadlines, in
// Russian or English only, by API and CLI.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlaybook, type Playbook } from '../src/domain/playbook.js';
import { createApiKey, createUser } from '../src/modules/auth/index.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let managerKey: string;
let frontlineKey: string;

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The org's own playbook: deadlines and names no default has, and the business calendar on. */
function customPlaybook(): Playbook {
  const p = structuredClone(defaultPlaybook);
  p.rules = [
    {
      id: 'coach',
      name: { ru: 'Жалоба на тренера', en: 'Complaint about a coach' },
      enabled: true,
      match: { scoreMin: 0, scoreMax: 6, reasonWords: ['тренер', 'coach'] },
      actions: [
        { kind: 'open_case', level: 'middle', dueHours: 20, urgent: true },
        { kind: 'alert', levels: ['top'] },
      ],
    },
    {
      id: 'unhappy',
      name: { ru: 'Недовольный клиент', en: 'Unhappy customer' },
      enabled: true,
      match: { scoreMin: 0, scoreMax: 6 },
      actions: [{ kind: 'open_case', level: 'frontline', dueHours: 36 }],
    },
    {
      id: 'fan',
      name: { ru: 'Поклонник', en: 'Fan' },
      enabled: true,
      match: { scoreMin: 9, scoreMax: 10 },
      actions: [
        {
          kind: 'message',
          template: 'review',
          text: { ru: 'Оставьте отзыв о клубе', en: 'Leave a review of the club' },
          url: 'https://example.com/review',
        },
      ],
    },
  ];
  p.escalation = { toMiddleAfterHours: 5, toTopAfterHours: 30 };
  p.calendar = {
    enabled: true,
    workdays: [1, 2, 3, 4, 5, 6],
    start: '10:00',
    end: '19:00',
    holidays: ['2026-12-31'],
  };
  p.resurveyAfterDays = 11;
  p.rootCauses = [{ id: 'coach', name: { ru: 'Работа тренера', en: 'Coaching' } }];
  return p;
}

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world, 'ФитПарк');
  const ctx = world.contextFor(org.orgId);
  const unit = (body: object) => expectJson(org.api('POST', '/api/v1/units', body), 201);
  const root = await unit({ name: 'Сеть ФитПарк', kind: 'company' });
  const arbat = await unit({ name: 'Арбат', kind: 'branch', parentId: root.id });
  await unit({ name: 'Бутово', kind: 'branch', parentId: root.id });
  const manager = await createUser(ctx, {
    email: 'ivan@fitpark.test',
    password: 'correct horse battery',
    name: 'Иван Петров',
    role: 'manager',
    unitIds: [arbat.id],
  });
  const frontline = await createUser(ctx, {
    email: 'olga@fitpark.test',
    password: 'correct horse battery',
    name: 'Ольга Смирнова',
    role: 'frontline',
    unitIds: [arbat.id],
  });
  await createUser(ctx, {
    email: 'anna@fitpark.test',
    password: 'correct horse battery',
    name: 'Анна Ким',
    role: 'admin',
  });
  managerKey = (await createApiKey(ctx, { userId: manager.id, name: 'm' })).key;
  frontlineKey = (await createApiKey(ctx, { userId: frontline.id, name: 'f' })).key;
});

afterAll(async () => {
  await world?.close();
});

function download(lang: string, key = org.key) {
  return world.app.request(`/api/v1/loop/procedure.docx?lang=${lang}`, {
    headers: { authorization: `Bearer ${key}` },
  });
}

/** The text of word/document.xml, one line per paragraph, and the names of the heading styles used. */
async function textOf(body: ArrayBuffer | Buffer): Promise<{ text: string; headings: string[] }> {
  const zip = await JSZip.loadAsync(body);
  const xml = await zip.file('word/document.xml')!.async('string');
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const paragraphs = xml.split('</w:p>').map((p) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? null,
    text: decode([...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')),
  }));
  return {
    text: paragraphs.map((p) => p.text).join('\n'),
    headings: paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text),
  };
}

/** What the org itself wrote (names of people, units and rules, texts): allowed in either language. */
const DATA = [
  'ФитПарк',
  'Сеть ФитПарк',
  'Иван Петров',
  'Ольга Смирнова',
  'Анна Ким',
  'Арбат',
  'Бутово',
  'тренер',
  'coach',
  'https://example.com/review',
  'example.com',
];

function withoutData(text: string): string {
  return [org.email, ...DATA, 'Europe/Moscow'].reduce((rest, d) => rest.replaceAll(d, ' '), text);
}

describe('GET /api/v1/loop/procedure.docx', () => {
  it('is a Word file named for download, made from the default playbook when the org has none', async () => {
    const r = await download('ru');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(DOCX);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="polozhenie-[\w-]+\.docx"$/);
    const { text, headings } = await textOf(await r.arrayBuffer());
    expect(headings).toContain('3. Линейный персонал');
    expect(headings).toContain('4. Руководители среднего звена');
    expect(headings).toContain('5. Высшее руководство');
    // The default: 48 hours, escalation to the middle at once and to the top 24 hours later.
    expect(text).toContain('не позднее чем через 48 часов (2 суток) после ответа');
    expect(text).toContain('сразу после истечения срока');
    expect(text).toContain('через 24 часа (1 сутки) после шага 1');
    expect(text).toContain('Очень недовольный клиент (0–3)');
    expect(text).toContain('Основано на регламенте по умолчанию');
    // The people at each level, by name and unit.
    expect(text).toContain('Иван Петров (Арбат)');
    expect(text).toContain('Ольга Смирнова (Арбат)');
    expect(text).toContain('Анна Ким');
    expect(text).toContain('Бутово');
  });

  it('follows a changed playbook: its deadlines, escalation hours, rules, calendar and messages, in Russian only', async () => {
    const before = await textOf(await (await download('ru')).arrayBuffer());
    await expectJson(org.api('PUT', '/api/v1/playbook', { playbook: customPlaybook(), version: 0 }), 200);
    const r = await download('ru');
    const { text, headings } = await textOf(await r.arrayBuffer());
    expect(text).not.toEqual(before.text);
    expect(headings.slice(0, 5)).toEqual([
      '1. Цель и принципы',
      '2. Уровни, роли и люди',
      '3. Линейный персонал',
      '4. Руководители среднего звена',
      '5. Высшее руководство',
    ]);
    expect(text).toContain('не позднее чем через 36 рабочих часов после ответа');
    expect(text).toContain('через 5 рабочих часов после срока');
    expect(text).toContain('через 30 рабочих часов после шага 1');
    expect(text).toContain('Срочное обращение: Жалоба на тренера');
    expect(text).toContain('срок — 20 рабочих часов');
    expect(text).toContain('Оповещение: Жалоба на тренера');
    expect(text).toContain('пн–сб, 10:00–19:00');
    expect(text).toContain('31 декабря 2026');
    expect(text).toContain('Через 11 дней после решения');
    expect(text).toContain('Приглашение оставить отзыв: «Оставьте отзыв о клубе»');
    expect(text).toContain('Работа тренера');
    expect(text).toMatch(/Основано на регламенте версии 1 от/);
    expect(text).not.toContain('Очень недовольный клиент');
    expect(text).toContain(
      'Сразу, не дожидаясь срока, оповещение отправляется высшему руководству, если в ответе тревожные слова в причине.',
    );
    // Nothing English but the terms Russian texts use as they are, and what the org wrote itself.
    const latin = new Set(withoutData(text).match(/[A-Za-z]+/g) ?? []);
    const terms = ['API', 'NPS', 'eNPS', 'SMS', 'QR', 'Net', 'Promoter'];
    expect([...latin].filter((w) => !terms.includes(w))).toEqual([]);
    for (const english of [
      'Front-line staff',
      'Middle managers',
      'Top management',
      'working hours',
      'Complaint about a coach',
    ]) {
      expect(text).not.toContain(english);
    }
  });

  it('in English has the same facts and no Russian words but the org’s own', async () => {
    const { text, headings } = await textOf(await (await download('en')).arrayBuffer());
    expect(headings.slice(2, 5)).toEqual(['3. Front-line staff', '4. Middle managers', '5. Top management']);
    expect(text).toContain('heard within 36 working hours');
    expect(text).toContain('5 working hours after the deadline');
    expect(text).toContain('30 working hours after step 1');
    expect(text).toContain('An urgent case: Complaint about a coach');
    expect(text).toContain('Mon–Sat, 10:00–19:00');
    expect(text).toContain('An invitation to leave a review: “Leave a review of the club”');
    expect(text).toContain('11 days after a case is resolved');
    expect(withoutData(text)).not.toMatch(/[А-Яа-яЁё]/);
  });

  it('gives a manager the document and refuses front-line staff; a bad language is a 422 naming the field', async () => {
    expect((await download('en', managerKey)).status).toBe(200);
    expect((await download('en', frontlineKey)).status).toBe(403);
    const bad = await download('de');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('lang');
  });
});

describe('sarafan procedure', () => {
  it('writes the document of the only organisation to a file, in the language asked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sarafan-procedure-'));
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    const run = (...args: string[]) =>
      promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', ...args], { env, timeout: 120_000 });
    await run(
      'init',
      '--org',
      'Клиника',
      '--email',
      'cli@example.com',
      '--password',
      'correct horse battery',
    );
    const out = join(dataDir, 'procedure.docx');
    const printed = await run('procedure', '--lang', 'en', '--out', out);
    expect(printed.stdout).toMatch(/Written .*procedure\.docx \(en, \d+ KB\)/);
    const { text, headings } = await textOf(readFileSync(out));
    expect(headings).toContain('3. Front-line staff');
    expect(text).toContain('Prepared for: Клиника');
    expect(text).toContain('heard within 48 hours (2 days)');
  }, 240_000);
});
