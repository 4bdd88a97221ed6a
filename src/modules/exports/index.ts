// Exports: tables as CSV and XLSX files, safe against formula injection, for any room to use.
export {
  contentDisposition,
  exportRoutes,
  exportTableInput,
  fileNames,
  MAX_EXPORT_COLUMNS,
  MAX_EXPORT_ROWS,
  XLSX_TYPE,
} from './routes.js';
export {
  type Cell,
  type ColumnType,
  type CsvOptions,
  safeText,
  sheetName,
  type TableColumn,
  type TableRow,
  type TableSheet,
  toCsv,
  toXlsx,
  type XlsxOptions,
} from './table-file.js';
