/** @module The bell in the header: how many notifications are unread; a click opens them. */
import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../router';
import { useUnreadCount } from './api';

export const NOTIFICATIONS_PATH = '/notifications';

export function Bell() {
  const { t } = useTranslation();
  const unread = useUnreadCount().data ?? 0;
  const label = unread ? t('alerts.bellUnread', { count: unread }) : t('alerts.bell');
  return (
    <Tooltip label={label}>
      <Indicator
        label={unread > 99 ? '99+' : unread}
        size={16}
        color="red"
        disabled={unread === 0}
        offset={4}
      >
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          aria-label={label}
          component="a"
          href={NOTIFICATIONS_PATH}
          onClick={(event: React.MouseEvent) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            navigate(NOTIFICATIONS_PATH);
          }}
        >
          <IconBell size={20} />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
