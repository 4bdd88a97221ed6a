/** @module A card that downloads the closed-loop procedure for three levels of management (.docx), ru or en. */
import { Button, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconFileTypeDocx } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../api/client';
import type { Locale } from '../api/types';

export function ProcedureCard({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const [lang, setLang] = useState<Locale>(locale);
  return (
    <Paper withBorder p="md" radius="md" data-testid="procedure-card">
      <Group justify="space-between" align="center" wrap="wrap" gap="sm">
        <Stack gap={2} maw={720}>
          <Title order={2} size="h5">
            {t('procedure.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('procedure.hint')}
          </Text>
        </Stack>
        <Group gap="sm">
          <SegmentedControl
            size="xs"
            value={lang}
            onChange={(v) => setLang(v === 'en' ? 'en' : 'ru')}
            data={[
              { value: 'ru', label: t('language.ru') },
              { value: 'en', label: t('language.en') },
            ]}
            aria-label={t('procedure.language')}
          />
          <Button
            component="a"
            href={`${API_BASE}/loop/procedure.docx?lang=${lang}`}
            download
            leftSection={<IconFileTypeDocx size={18} />}
            variant="light"
            data-testid="procedure-download"
          >
            {t('procedure.download')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
