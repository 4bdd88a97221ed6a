/** @module The warning over employee (eNPS) comments: the text is the employee's own and may give its author away. */
import { Alert } from '@mantine/core';
import { IconEyeOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** Shown wherever employee comments are listed (overview, analysis, themes). */
export function CommentsWarning() {
  const { t } = useTranslation();
  return (
    <Alert
      variant="light"
      color="yellow"
      icon={<IconEyeOff size={18} />}
      title={t('anonymity.commentsWarningTitle')}
      mb="sm"
      data-testid="comments-warning"
      role="note"
    >
      {t('anonymity.commentsWarning')}
    </Alert>
  );
}
