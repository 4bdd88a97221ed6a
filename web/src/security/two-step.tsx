/** @module Two-step verification (TOTP, RFC 6238): turn on with a QR code and a first code, recovery codes, turn off. */
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useDisableTotp, useEnableTotp, useRenewRecoveryCodes, useSecondFactor, useStartTotp } from './api';

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t('securityTwoStep.savedTitle')}>
      <Stack gap="xs">
        <Text size="sm">{t('securityTwoStep.savedBody')}</Text>
        <Code block data-testid="recovery-codes">
          {codes.join('\n')}
        </Code>
        <Group gap="xs">
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? t('securityTwoStep.copied') : t('securityTwoStep.copy')}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" onClick={onDone}>
            {t('securityTwoStep.done')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

export function TwoStepCard({ user }: { user: User }) {
  const { t } = useTranslation();
  const status = useSecondFactor();
  const start = useStartTotp();
  const enable = useEnableTotp();
  const disable = useDisableTotp();
  const renew = useRenewRecoveryCodes();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    enable.mutate(
      { code },
      {
        onSuccess: (r) => {
          setCodes(r.recoveryCodes);
          setCode('');
          start.reset();
        },
      },
    );
  }
  function turnOff(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    disable.mutate(
      { password, code },
      {
        onSuccess: () => {
          setPassword('');
          setCode('');
        },
      },
    );
  }
  function renewCodes() {
    renew.mutate(
      { code },
      {
        onSuccess: (r) => {
          setCodes(r.recoveryCodes);
          setCode('');
        },
      },
    );
  }

  const on = status.data?.totpEnabled ?? false;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('securityTwoStep.title')}
          </Title>
          {status.data && (
            <Badge color={on ? 'teal' : 'gray'} variant="light">
              {on && status.data.totpEnabledAt
                ? t('securityTwoStep.on', {
                    date: formatInstant(user.locale, status.data.totpEnabledAt, user.timeZone),
                  })
                : t('securityTwoStep.off')}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t('securityTwoStep.intro')}
        </Text>
        {status.isError && <ProblemAlert error={status.error} onRetry={() => void status.refetch()} />}
        {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
        {!on && !start.data && (
          <Button w="fit-content" onClick={() => start.mutate()} loading={start.isPending}>
            {t('securityTwoStep.start')}
          </Button>
        )}
        {start.isError && <ProblemAlert error={start.error} />}
        {!on && start.data && (
          <form onSubmit={confirm}>
            <Stack gap="xs">
              <Text size="sm">{t('securityTwoStep.scan')}</Text>
              <Image src={start.data.qrSvgDataUrl} alt="otpauth QR" w={180} h={180} />
              <Code data-testid="totp-secret">{start.data.secret}</Code>
              <TextInput
                label={t('securityTwoStep.code')}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                w={220}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
              {enable.isError && <ProblemAlert error={enable.error} />}
              <Group gap="xs">
                <Button type="submit" loading={enable.isPending}>
                  {t('securityTwoStep.confirm')}
                </Button>
                <Button variant="default" onClick={() => start.reset()}>
                  {t('securityTwoStep.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {on && status.data && (
          <form onSubmit={turnOff}>
            <Stack gap="xs">
              <Text size="sm">
                {t('securityTwoStep.codesLeft', { count: status.data.recoveryCodesLeft })}
              </Text>
              <Group align="end" gap="xs">
                <TextInput
                  label={t('securityTwoStep.codeOrRecovery')}
                  autoComplete="one-time-code"
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                />
                <Button variant="light" onClick={renewCodes} loading={renew.isPending} disabled={!code}>
                  {t('securityTwoStep.renew')}
                </Button>
              </Group>
              <Text size="xs" c="dimmed">
                {t('securityTwoStep.renewHint')}
              </Text>
              <Group align="end" gap="xs">
                <TextInput
                  label={t('securityTwoStep.password')}
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
                <Button
                  type="submit"
                  color="red"
                  variant="light"
                  loading={disable.isPending}
                  disabled={!code}
                >
                  {t('securityTwoStep.turnOff')}
                </Button>
              </Group>
              {renew.isError && <ProblemAlert error={renew.error} />}
              {disable.isError && <ProblemAlert error={disable.error} />}
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
