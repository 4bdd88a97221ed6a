/** @module Every dashboard page: its path, its menu entry, who may open it, and what it shows. Add a page here. */
import {
  type Icon,
  IconDatabaseSearch,
  IconFileImport,
  IconMailForward,
  IconMoodHeart,
  IconPhoneCall,
  IconQrcode,
  IconSend,
  IconUsers,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Role, User } from './api/types';
import { AuditPage } from './audit/audit-page';
import { CallsPage } from './calls/calls-page';
import { DistributionPage } from './distribution/distribution-page';
import type { en } from './i18n/en';
import { ImportsPage } from './imports/imports-page';
import { LinksPage } from './links/links-page';
import { OutboxPage } from './outbox/outbox-page';
import { OverviewPage } from './overview/overview-page';

export interface PageDef {
  path: string;
  /** Key under `nav` in the i18n texts. */
  label: keyof (typeof en)['nav'];
  icon: Icon;
  /** Roles that see the page; absent = everyone. */
  roles?: readonly Role[];
  /** Pages whose links keep the period filter (the analytics pages). */
  keepsPeriod?: boolean;
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
];

export function pagesFor(user: User): PageDef[] {
  return PAGES.filter((page) => !page.roles || page.roles.includes(user.role));
}
