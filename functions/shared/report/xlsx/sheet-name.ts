/** Excel refuses `* ? : \ / [ ]` in sheet names, a leading/trailing apostrophe and more than 31 characters. */
export function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[*?:\\/[\]]/g, '_')
    .replace(/^'+|'+$/g, '')
    .slice(0, 31);
  return cleaned === '' ? 'Sheet' : cleaned;
}
