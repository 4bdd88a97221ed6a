/** @module Texts of the personal-data pages (access log, erasure, retention) in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const privacyEn = {
  privacy: {
    title: 'Personal data',
    pseudonymised: 'Pseudonymised view (analyst role)',
    pseudonymisedHint:
      'Customers appear as stable pseudonyms (C-…); names, e-mails and phones are not shown, and e-mails, phone and card numbers inside reasons are masked.',
    contentHidden: 'The content is not shown in the pseudonymised view: it names the customer.',
    intro:
      'Requests of the people whose data you hold (access and erasure), how long data is kept, and who saw or exported it.',
    tabRequests: 'Requests',
    tabRetention: 'Retention',
    tabLog: 'Access log',
    findBy: 'Find the person by',
    byEmail: 'E-mail',
    byPhone: 'Phone',
    byCustomerId: 'Customer id',
    byExternalId: 'Id in your system',
    value: 'Value',
    exportTitle: 'Access request: everything held about a person',
    exportHelp:
      'Downloads one JSON file with the customer, visits, invitations, answers, cases, messages and consents.',
    exportButton: 'Export as JSON',
    exported:
      'Exported {{customers}} record(s): {{answers}} answers, {{contacts}} visits, {{messages}} messages.',
    download: 'Download the file again',
    eraseTitle: 'Erasure request',
    eraseHelp:
      'Deletes the name, e-mail, phone and your system’s id, and everything that finds the person by them. Answers stay with their scores, no longer linked to anyone, so your results do not change. The person gets no more surveys. This cannot be undone.',
    eraseConfirm: 'I understand that this cannot be undone',
    eraseButton: 'Erase personal data',
    erased: 'Erased {{customers}} record(s); {{answers}} answers kept anonymous.',
    retentionHelp:
      'Leave a field empty to keep that data until it is erased on request. The worker applies the periods once an hour.',
    inactiveCustomerMonths: 'Personal data of customers with no visit for (months)',
    reasonMonths: 'Answers’ free-text reasons (months)',
    messageBodyDays: 'Bodies of sent e-mails and SMS (days)',
    accessLogMonths: 'Access-log lines (months, at least 6)',
    keep: 'kept',
    save: 'Save',
    saved: 'Saved',
    logHelp:
      'Every view or export of personal data and every change made by an owner or admin. Only the owner sees this.',
    filterAction: 'Action starts with',
    filterFrom: 'From',
    filterTo: 'Before',
    at: 'When',
    who: 'Who',
    action: 'Action',
    target: 'Object',
    details: 'Details',
    cli: 'command line',
    system: 'Sarafan (retention)',
    empty: 'Nothing here yet.',
    more: 'Show more',
  },
};

export const privacyRu: RoomTexts<typeof privacyEn> = {
  privacy: {
    title: 'Персональные данные',
    pseudonymised: 'Псевдонимизированный вид (роль аналитика)',
    pseudonymisedHint:
      'Клиенты показаны постоянными псевдонимами (C-…); имён, e-mail и телефонов нет, а адреса, номера телефонов и карт в текстах причин скрыты.',
    contentHidden: 'В псевдонимизированном виде текст не показывается: в нём есть данные клиента.',
    intro:
      'Запросы людей, чьи данные вы храните (доступ и удаление), сроки хранения и журнал того, кто видел или выгружал данные.',
    tabRequests: 'Запросы',
    tabRetention: 'Сроки хранения',
    tabLog: 'Журнал доступа',
    findBy: 'Найти человека по',
    byEmail: 'E-mail',
    byPhone: 'Телефон',
    byCustomerId: 'Id клиента',
    byExternalId: 'Id в вашей системе',
    value: 'Значение',
    exportTitle: 'Запрос доступа: всё, что хранится о человеке',
    exportHelp: 'Один JSON-файл: клиент, визиты, приглашения, ответы, обращения, сообщения и согласия.',
    exportButton: 'Выгрузить в JSON',
    exported:
      'Выгружено записей: {{customers}}; ответов: {{answers}}, визитов: {{contacts}}, сообщений: {{messages}}.',
    download: 'Скачать файл ещё раз',
    eraseTitle: 'Запрос на удаление',
    eraseHelp:
      'Удаляет имя, e-mail, телефон и id из вашей системы и всё, по чему человека можно найти. Ответы остаются с оценками, но ни с кем не связаны, поэтому результаты не меняются. Человек больше не получает опросов. Отменить нельзя.',
    eraseConfirm: 'Я понимаю, что это нельзя отменить',
    eraseButton: 'Удалить персональные данные',
    erased: 'Удалено записей: {{customers}}; ответов сохранено анонимно: {{answers}}.',
    retentionHelp:
      'Оставьте поле пустым, чтобы хранить эти данные до удаления по запросу. Сроки применяются раз в час.',
    inactiveCustomerMonths: 'Персональные данные клиентов без визитов (месяцев)',
    reasonMonths: 'Тексты причин в ответах (месяцев)',
    messageBodyDays: 'Тексты отправленных писем и SMS (дней)',
    accessLogMonths: 'Записи журнала доступа (месяцев, не меньше 6)',
    keep: 'хранить',
    save: 'Сохранить',
    saved: 'Сохранено',
    logHelp:
      'Каждый просмотр и выгрузка персональных данных и каждое изменение владельца или администратора. Журнал видит только владелец.',
    filterAction: 'Действие начинается с',
    filterFrom: 'С',
    filterTo: 'До',
    at: 'Когда',
    who: 'Кто',
    action: 'Действие',
    target: 'Объект',
    details: 'Подробности',
    cli: 'командная строка',
    system: 'Sarafan (сроки хранения)',
    empty: 'Пока пусто.',
    more: 'Показать ещё',
  },
};
