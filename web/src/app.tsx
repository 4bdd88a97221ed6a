/** @module Which page to show: the login page without a session, else the shell with an overview. */
import { Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { useMe } from './api/queries';
import { LoginPage } from './auth/login-page';
import { adoptUserLocale } from './i18n';
import { homeOf, pageAt } from './pages';
import { ProblemAlert } from './problem-alert';
import { navigate, ROUTES, useLocation } from './router';
import { Shell } from './shell/shell';

/** Where to go after sign-in: back to the page that asked for it, if it was one of ours. */
function nextPath(search: URLSearchParams, home: string): string {
  const next = search.get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith(ROUTES.login) ? next : home;
}

export function App() {
  const me = useMe();
  const location = useLocation();
  const user = me.data;
  const onLogin = location.path === ROUTES.login;

  useEffect(() => {
    if (user) adoptUserLocale(user.locale);
  }, [user]);

  useEffect(() => {
    if (me.isPending || me.isError) return;
    if (!user && !onLogin) {
      const here = location.path + (location.search.size ? `?${location.search}` : '');
      navigate(here === '/' ? ROUTES.login : `${ROUTES.login}?next=${encodeURIComponent(here)}`, {
        replace: true,
      });
    } else if (user && onLogin) {
      navigate(nextPath(location.search, homeOf(user)), { replace: true });
    } else if (user && !pageAt(user, location.path)) {
      navigate(homeOf(user), { replace: true });
    }
  }, [me.isPending, me.isError, user, onLogin, location]);

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center h="100vh" p="md">
        <ProblemAlert error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  if (!user) return onLogin ? <LoginPage /> : null;
  if (onLogin) return null;

  const page = pageAt(user, location.path);
  if (!page) return null;
  return <Shell user={user}>{page.render(user)}</Shell>;
}
