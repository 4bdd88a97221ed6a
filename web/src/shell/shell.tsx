/** @module The app shell: header with the organisation, navigation, language and logout; a burger on phones. */
import { ActionIcon, AppShell, Burger, Button, Group, NavLink, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconLogout } from '@tabler/icons-react';
import type { MouseEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Bell } from '../alerts/bell';
import { useLogout } from '../api/queries';
import type { User } from '../api/types';
import { pagesFor } from '../pages';
import { PseudonymisedNote } from '../privacy/pseudonymised-note';
import { navigate, useLocation } from '../router';
import { LanguageSwitch } from './language-switch';

const FILTERS_KEPT_ACROSS_AUDIENCES = ['period', 'from', 'to'];

/** A link between analytics pages keeps the period but not the survey (surveys belong to one audience). */
function hrefFor(path: string, search: URLSearchParams, keepsPeriod: boolean): string {
  if (!keepsPeriod) return path;
  const kept = new URLSearchParams();
  for (const key of FILTERS_KEPT_ACROSS_AUDIENCES) {
    const value = search.get(key);
    if (value) kept.set(key, value);
  }
  const query = kept.toString();
  return query ? `${path}?${query}` : path;
}

export function Shell({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const logout = useLogout();
  const { path, search } = useLocation();
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;

  const links = pagesFor(user).map((page) => ({
    path: page.path,
    label: t(`nav.${page.label}`),
    icon: page.icon,
    href: hrefFor(page.path, search, page.keepsPeriod ?? false),
    active: page.path === path || (page.subpaths === true && path.startsWith(`${page.path}/`)),
  }));

  function follow(event: MouseEvent<HTMLAnchorElement>, href: string) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
    close();
  }

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('nav.closeMenu') : t('nav.openMenu')}
            />
            <Stack gap={0} miw={0}>
              <Text fw={700} c="teal.7" size="xs" tt="uppercase" lh={1.2}>
                {t('app.name')}
              </Text>
              <Text fw={600} truncate="end" lh={1.3}>
                {user.orgName}
              </Text>
            </Stack>
          </Group>
          <Group hiddenFrom="sm">
            <Bell />
          </Group>
          <Group gap="sm" wrap="nowrap" visibleFrom="sm">
            <Bell />
            <LanguageSwitch />
            <Tooltip label={`${t('header.logout')} (${user.email})`}>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                aria-label={t('header.logout')}
                loading={logout.isPending}
                onClick={() => logout.mutate()}
              >
                <IconLogout size={20} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>

      {/* A sidebar on wide screens, the burger menu on phones (out of the tab order while closed). */}
      <AppShell.Navbar p="md" component="nav" aria-label={t('nav.main')} inert={isPhone && !opened}>
        <Stack gap="xs" h="100%">
          {links.map((link) => (
            <NavLink
              key={link.path}
              href={link.href}
              onClick={(event: MouseEvent<HTMLAnchorElement>) => follow(event, link.href)}
              label={link.label}
              leftSection={<link.icon size={18} />}
              active={link.active}
              aria-current={link.active ? 'page' : undefined}
            />
          ))}
          <Stack gap="sm" mt="auto" hiddenFrom="sm">
            <Text size="sm" c="dimmed" truncate="end">
              {user.email}
            </Text>
            <LanguageSwitch fullWidth />
            <Button
              variant="light"
              color="gray"
              leftSection={<IconLogout size={18} />}
              loading={logout.isPending}
              onClick={() => logout.mutate()}
            >
              {t('header.logout')}
            </Button>
          </Stack>
        </Stack>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <PseudonymisedNote user={user} />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
