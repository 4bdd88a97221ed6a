/**
 * @module The sign-in form; a failed sign-in shows the server's problem title and detail. When the account has
 * two-step verification the server answers 401 naming the field `code`, and the form asks for it.
 */
import { Box, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/client';
import { useLogin } from '../api/queries';
import { ProblemAlert } from '../problem-alert';
import { LanguageSwitch } from '../shell/language-switch';

export function LoginPage() {
  const { t } = useTranslation();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  useEffect(() => {
    const e = login.error;
    if (e instanceof ProblemError && e.status === 401 && e.problem.errors?.some((i) => i.path === 'code'))
      setNeedsCode(true);
  }, [login.error]);
  useEffect(() => {
    document.title = `${t('login.title')} — ${t('app.name')}`;
  }, [t]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    login.mutate({
      email: email.trim(),
      password,
      ...(needsCode && code.trim() ? { code: code.trim() } : {}),
    });
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} noValidate={false}>
          <Stack>
            <Box>
              <Text c="teal.7" fw={700} size="sm" tt="uppercase">
                {t('app.name')}
              </Text>
              <Title order={1} size="h2">
                {t('login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('app.tagline')}
              </Text>
            </Box>
            {login.isError && !(needsCode && !code) && (
              <ProblemAlert error={login.error} title={t('login.failed')} />
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            {needsCode && (
              <TextInput
                label={t('securityLogin.code')}
                description={t('securityLogin.codeHint')}
                inputMode="text"
                autoComplete="one-time-code"
                required
                autoFocus
                maxLength={20}
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
              />
            )}
            <Button type="submit" loading={login.isPending} fullWidth>
              {t('login.submit')}
            </Button>
            <Center>
              <LanguageSwitch />
            </Center>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
