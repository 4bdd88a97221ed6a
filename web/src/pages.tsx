/** @module Every dashboard page: its path, its menu entry, who may open it, and what it shows. Add a page here. */
import { type Icon, IconMoodHeart, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Role, User } from './api/types';
import type { en } from './i18n/en';
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
];

export function pagesFor(user: User): PageDef[] {
  return PAGES.filter((page) => !page.roles || page.roles.includes(user.role));
}
