/** @module The app shell: header with the organisation, navigation, language and logout; a burger on phones. */
import { ActionIcon, AppShell, Burger, Button, Group, NavLink, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout, IconMoodHeart, IconUsers } from '@tabler/icons-react';
import type { MouseEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../api/queries';
import type { Audience, User } from '../api/types';
import { navigate, ROUTES, useLocation } from '../router';
import { LanguageSwitch } from './language-switch';

const FILTERS_KEPT_ACROSS_AUDIENCES = ['period', 'from', 'to'];

/** The link to the other audience keeps the period but not the survey (surveys belong to one audience). */
function hrefFor(path: string, search: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const key of FILTERS_KEPT_ACROSS_AUDIENCES) {
    const value = search.get(key);
    if (value) kept.set(key, value);
  }
  const query = kept.toString();
  return query ? `${path}?${query}` : path;
}

export function Shell({ user, audience, children }: { user: User; audience: Audience; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const logout = useLogout();
  const { search } = useLocation();

  const links = [
    { audience: 'customer' as const, path: ROUTES.customers, label: t('nav.customers'), icon: IconUsers },
    { audience: 'employee' as const, path: ROUTES.employees, label: t('nav.employees'), icon: IconMoodHeart },
  ].map((link) => ({ ...link, href: hrefFor(link.path, search), active: link.audience === audience }));

  function follow(event: MouseEvent<HTMLAnchorElement>, href: string) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
    close();
  }

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 260, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }}
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
          <Group gap="xs" visibleFrom="sm" component="nav" aria-label={t('nav.main')} wrap="nowrap">
            {links.map((link) => (
              <Button
                key={link.path}
                component="a"
                href={link.href}
                onClick={(event: MouseEvent<HTMLAnchorElement>) => follow(event, link.href)}
                variant={link.active ? 'light' : 'subtle'}
                color={link.active ? 'teal' : 'gray'}
                leftSection={<link.icon size={18} />}
                aria-current={link.active ? 'page' : undefined}
              >
                {link.label}
              </Button>
            ))}
          </Group>
          <Group gap="sm" wrap="nowrap" visibleFrom="sm">
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

      {/* The navbar is the phone menu only; closed (and always on wide screens) it is out of the tab order. */}
      <AppShell.Navbar p="md" component="nav" aria-label={t('nav.main')} inert={!opened}>
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
          <Stack gap="sm" mt="auto">
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

      <AppShell.Main bg="gray.0">{children}</AppShell.Main>
    </AppShell>
  );
}
