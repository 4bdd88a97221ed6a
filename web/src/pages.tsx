/** @module Every dashboard page: its path, its menu entry, who may open it, and what it shows. Add a page here. */
import {
  type Icon,
  IconBell,
  IconChartDots,
  IconChartHistogram,
  IconDatabaseSearch,
  IconFileAnalytics,
  IconFileImport,
  IconListCheck,
  IconMailForward,
  IconMoodHeart,
  IconPhoneCall,
  IconPhoneOutgoing,
  IconQrcode,
  IconReportMoney,
  IconRoute,
  IconScale,
  IconSend,
  IconShieldLock,
  IconTags,
  IconTargetArrow,
  IconUserShield,
  IconUsers,
  IconWebhook,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { NotificationsPage } from './alerts/notifications-page';
import { AnalysisPage } from './analysis/analysis-page';
import type { Role, User } from './api/types';
import { AuditPage } from './audit/audit-page';
import { BenchmarksPage } from './benchmarks/benchmarks-page';
import { CallsPage } from './calls/calls-page';
import { CasesPage } from './cases/cases-page';
import { TodayPage } from './cases/today-page';
import { DistributionPage } from './distribution/distribution-page';
import { EconomicsPage } from './economics/economics-page';
import { GoalsPage } from './goals/goals-page';
import type { en } from './i18n/en';
import { ImportsPage } from './imports/imports-page';
import { LinksPage } from './links/links-page';
import { LoopMetricsPage } from './loop-metrics/loop-metrics-page';
import { OutboxPage } from './outbox/outbox-page';
import { OverviewPage } from './overview/overview-page';
import { PlaybookPage } from './playbook/playbook-page';
import { PrivacyPage } from './privacy/privacy-page';
import { ReportsPage } from './reports/reports-page';
import { SecurityPage } from './security/security-page';
import { ThemesPage } from './themes/themes-page';
import { WebhooksPage } from './webhooks/webhooks-page';

export interface PageDef {
  path: string;
  /** Key under `nav` in the i18n texts. */
  label: keyof (typeof en)['nav'];
  icon: Icon;
  /** Roles that see the page; absent = everyone. */
  roles?: readonly Role[];
  /** Pages whose links keep the period filter (the analytics pages). */
  keepsPeriod?: boolean;
  /** The page also shows the paths under it (`/cases/{id}`). */
  subpaths?: boolean;
  render(user: User): ReactNode;
}

export const PAGES: readonly PageDef[] = [
  {
    path: '/customers',
    label: 'customers',
    icon: IconUsers,
    keepsPeriod: true,
    render: (user) => <OverviewPage key="customer" audience="customer" user={user} />,
  },
  {
    path: '/employees',
    label: 'employees',
    icon: IconMoodHeart,
    keepsPeriod: true,
    render: (user) => <OverviewPage key="employee" audience="employee" user={user} />,
  },
  {
    path: '/benchmarks',
    label: 'benchmarks',
    icon: IconScale,
    roles: ['owner', 'admin', 'manager', 'analyst'],
    render: (user) => <BenchmarksPage user={user} />,
  },
  {
    path: '/analysis',
    label: 'analysis',
    icon: IconChartHistogram,
    keepsPeriod: true,
    // /analysis is customers, /analysis/employees employees: one page per audience, never mixed.
    subpaths: true,
    render: (user) => <AnalysisPage user={user} />,
  },
  {
    path: '/today',
    label: 'today',
    icon: IconPhoneOutgoing,
    roles: ['owner', 'admin', 'manager', 'frontline'],
    render: (user) => <TodayPage user={user} />,
  },
  {
    path: '/cases',
    label: 'cases',
    icon: IconListCheck,
    subpaths: true,
    render: (user) => <CasesPage user={user} />,
  },
  {
    path: '/loop-metrics',
    label: 'loopMetrics',
    icon: IconChartDots,
    render: (user) => <LoopMetricsPage user={user} />,
  },
  {
    path: '/themes',
    label: 'themes',
    icon: IconTags,
    roles: ['owner', 'admin', 'manager', 'analyst'],
    subpaths: true,
    render: (user) => <ThemesPage user={user} />,
  },
  {
    path: '/goals',
    label: 'goals',
    icon: IconTargetArrow,
    subpaths: true,
    render: (user) => <GoalsPage user={user} />,
  },
  {
    path: '/reports',
    label: 'reports',
    icon: IconFileAnalytics,
    roles: ['owner', 'admin', 'manager', 'analyst'],
    render: (user) => <ReportsPage user={user} />,
  },
  {
    path: '/economics',
    label: 'economics',
    icon: IconReportMoney,
    roles: ['owner', 'admin', 'manager', 'analyst'],
    render: (user) => <EconomicsPage user={user} />,
  },
  {
    path: '/playbook',
    label: 'playbook',
    icon: IconRoute,
    roles: ['owner', 'admin', 'manager'],
    render: (user) => <PlaybookPage user={user} />,
  },
  {
    path: '/links',
    label: 'links',
    icon: IconQrcode,
    roles: ['owner', 'admin'],
    render: () => <LinksPage />,
  },
  {
    path: '/distribution',
    label: 'distribution',
    icon: IconSend,
    roles: ['owner', 'admin', 'manager', 'analyst'],
    render: (user) => <DistributionPage user={user} />,
  },
  {
    path: '/outbox',
    label: 'outbox',
    icon: IconMailForward,
    roles: ['owner', 'admin', 'manager', 'analyst'],
    render: (user) => <OutboxPage user={user} />,
  },
  {
    path: '/calls',
    label: 'calls',
    icon: IconPhoneCall,
    render: (user) => <CallsPage user={user} />,
  },
  {
    path: '/audit',
    label: 'audit',
    icon: IconDatabaseSearch,
    roles: ['owner', 'admin', 'manager', 'analyst'],
    render: () => <AuditPage />,
  },
  {
    path: '/imports',
    label: 'imports',
    icon: IconFileImport,
    roles: ['owner', 'admin'],
    render: () => <ImportsPage />,
  },
  {
    path: '/notifications',
    label: 'notifications',
    icon: IconBell,
    render: (user) => <NotificationsPage user={user} />,
  },
  {
    path: '/webhooks',
    label: 'webhooks',
    icon: IconWebhook,
    roles: ['owner', 'admin'],
    render: (user) => <WebhooksPage user={user} />,
  },
  {
    path: '/privacy',
    label: 'privacy',
    icon: IconUserShield,
    roles: ['owner', 'admin'],
    render: (user) => <PrivacyPage user={user} />,
  },
  {
    path: '/security',
    label: 'security',
    icon: IconShieldLock,
    render: (user) => <SecurityPage user={user} />,
  },
];

export function pagesFor(user: User): PageDef[] {
  return PAGES.filter((page) => !page.roles || page.roles.includes(user.role));
}

/** The page that shows `path` for this user, if any. */
export function pageAt(user: User, path: string): PageDef | undefined {
  return pagesFor(user).find((p) => p.path === path || (p.subpaths && path.startsWith(`${p.path}/`)));
}

/** Where a user lands after signing in: front-line staff on their call-backs, everyone else on the overview. */
export function homeOf(user: User): string {
  return user.role === 'frontline' ? '/today' : '/customers';
}
