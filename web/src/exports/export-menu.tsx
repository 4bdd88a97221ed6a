/**
 * @module "Export ▾ CSV / XLSX" for any table or chart: give it the columns and rows the table already shows and
 * the server (POST /api/v1/exports/table) returns the file, safe to open in Excel.
 *
 * ```tsx
 * <ExportMenu title={t('branches.title')} columns={[{ key: 'name', label: t('x.name') },
 *   { key: 'nps', label: 'NPS', type: 'number' }]} rows={rows.map((r) => ({ name: r.label, nps: r.nps }))} />
 * ```
 */
import { Button, Group, Menu, Text } from '@mantine/core';
import { IconChevronDown, IconDownload, IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../api/client';

/** `percent` holds a fraction (0.25 = 25%); `date` a 'YYYY-MM-DD'. */
export type ExportColumnType = 'text' | 'number' | 'integer' | 'percent' | 'date';

export interface ExportColumn {
  key: string;
  label: string;
  type?: ExportColumnType;
}

export type ExportCell = string | number | boolean | null;
export type ExportRow = Record<string, ExportCell>;

export interface ExportMenuProps {
  /** Names the file (with today's date) and heads the XLSX readme sheet. */
  title: string;
  columns: ExportColumn[];
  rows: ExportRow[];
  /** Lines of the XLSX readme sheet: the period, the filters, how a figure is computed. */
  readme?: string[];
  disabled?: boolean;
  size?: 'xs' | 'sm';
}

/** The file name the server chose (RFC 6266 `filename*` first). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // A malformed encoding: fall through to the plain name.
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

export function ExportMenu({ title, columns, rows, readme, disabled, size = 'xs' }: ExportMenuProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const [failed, setFailed] = useState(false);

  async function download(format: 'csv' | 'xlsx') {
    setBusy(format);
    setFailed(false);
    try {
      const response = await fetch(`${API_BASE}/exports/table`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title, format, columns, rows, readme }),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileNameOf(response.headers.get('content-disposition'), `export.${format}`);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setFailed(true);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Group gap={6} wrap="nowrap">
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            size={size}
            variant="default"
            leftSection={<IconDownload size={14} />}
            rightSection={<IconChevronDown size={14} />}
            loading={busy !== null}
            disabled={disabled || columns.length === 0}
            aria-label={`${t('benchmarksExport.button')}: ${title}`}
          >
            {t('benchmarksExport.button')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconFileTypeCsv size={16} />} onClick={() => void download('csv')}>
            {t('benchmarksExport.csv')}
          </Menu.Item>
          <Menu.Item leftSection={<IconFileSpreadsheet size={16} />} onClick={() => void download('xlsx')}>
            {t('benchmarksExport.xlsx')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {failed && (
        <Text size="xs" c="red" role="alert">
          {t('benchmarksExport.failed')}
        </Text>
      )}
    </Group>
  );
}
