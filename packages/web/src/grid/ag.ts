// AG Grid Community, registered module by module (not AllCommunityModule) to keep the bundle
// small, with the Jemput theme and the grid's own words in Bahasa Indonesia.
import {
  CellStyleModule,
  ColumnApiModule,
  InfiniteRowModelModule,
  LocaleModule,
  ModuleRegistry,
  PinnedRowModule,
  RenderApiModule,
  RowApiModule,
  RowStyleModule,
  ScrollApiModule,
  TextEditorModule,
  TextFilterModule,
  TooltipModule,
  ValidationModule,
  themeQuartz,
} from 'ag-grid-community';
import type { Locale } from '@jemput/core';

let registered = false;

export function registerGridModules(): void {
  if (registered) return;
  registered = true;
  ModuleRegistry.registerModules([
    InfiniteRowModelModule,
    TextEditorModule,
    TextFilterModule,
    TooltipModule,
    CellStyleModule,
    RowStyleModule,
    PinnedRowModule,
    LocaleModule,
    RenderApiModule,
    RowApiModule,
    ScrollApiModule,
    ColumnApiModule,
    // Explains misconfigurations in the console while developing; left out of the build.
    ...(import.meta.env.DEV ? [ValidationModule] : []),
  ]);
}

export const jemputTheme = themeQuartz.withParams({
  accentColor: '#0b5c8a',
  fontFamily: 'inherit',
  fontSize: 13,
  headerFontWeight: 600,
  headerBackgroundColor: '#eef3f7',
  rowHeight: 30,
  headerHeight: 34,
  spacing: 6,
  wrapperBorderRadius: 6,
  cellHorizontalPadding: 8,
});

const ID_TEXT: Record<string, string> = {
  loadingOoo: 'Memuat…',
  loadingError: 'Gagal memuat',
  noRowsToShow: 'Tidak ada baris',
  filterOoo: 'Saring…',
  contains: 'Berisi',
  notContains: 'Tidak berisi',
  equals: 'Sama dengan',
  notEqual: 'Tidak sama dengan',
  startsWith: 'Diawali',
  endsWith: 'Diakhiri',
  blank: 'Kosong',
  notBlank: 'Tidak kosong',
  lessThan: 'Sebelum',
  greaterThan: 'Sesudah',
  inRange: 'Di antara',
  inRangeStart: 'Dari',
  inRangeEnd: 'Sampai',
  andCondition: 'DAN',
  orCondition: 'ATAU',
  applyFilter: 'Terapkan',
  resetFilter: 'Atur ulang',
  clearFilter: 'Bersihkan',
  cancelFilter: 'Batal',
  dateFormatOoo: 'dd/mm/yyyy',
  before: 'Sebelum',
  after: 'Sesudah',
  columnFilter: 'Saringan kolom',
  ariaFilterInput: 'Isian saringan',
  ariaFilteringOperator: 'Jenis saringan',
};

export function gridLocaleText(locale: Locale): Record<string, string> | undefined {
  return locale === 'id' ? ID_TEXT : undefined;
}
