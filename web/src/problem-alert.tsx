/** @module Shows an API error (RFC 9457 problem details) in an Alert, in the reader's language. */
import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from './api/client';

export function ProblemAlert({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  const problem = error instanceof ProblemError ? error.problem : null;
  const network = problem?.status === 0;
  const heading = title ?? (network ? t('errors.generic') : (problem?.title ?? t('errors.generic')));
  const detail = network ? t('errors.network') : problem ? problem.detail : undefined;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={heading} w="100%" maw={720}>
      <Stack gap="xs">
        {title && problem && !network && problem.title !== title && <Text size="sm">{problem.title}</Text>}
        {detail && <Text size="sm">{detail}</Text>}
        {problem?.errors && problem.errors.length > 0 && (
          <List size="sm">
            {problem.errors.map((item) => (
              <List.Item key={`${item.path}:${item.message}`}>
                {item.path ? `${item.path}: ` : ''}
                {item.message}
              </List.Item>
            ))}
          </List>
        )}
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry} w="fit-content">
            {t('errors.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
