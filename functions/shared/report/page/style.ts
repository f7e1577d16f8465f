/**
 * The one stylesheet of every page behind a link, and its SHA-256 for the
 * Content-Security-Policy (`style-src 'sha256-…'`): the pages carry no style
 * attribute and no other `<style>`, so the policy allows exactly this text and
 * nothing an injected string could add. The colours are the email's
 * (email/html.ts `COLOR`), so page and email look like one thing.
 *
 * Mobile first: one column, the screen's width up to 640 px, centred above;
 * the three tiles share a row at any width; nothing has a fixed width wider
 * than a phone, and long words (a line's comment, an English label) break.
 */
import { createHash } from 'node:crypto';
import { COLOR } from '../email/html.ts';

const C = COLOR;

export const PAGE_CSS = [
  '*{box-sizing:border-box}',
  `html{-webkit-text-size-adjust:100%;background:${C.page}}`,
  `body{margin:0;font:16px/1.4 Arial,Helvetica,sans-serif;color:${C.text};background:${C.page}}`,
  `main{max-width:640px;margin:0 auto;background:${C.card};padding:16px 16px 24px;min-height:100vh;overflow-wrap:break-word;word-wrap:break-word}`,
  `a{color:${C.button}}`,
  `.kicker{font-size:12px;color:${C.muted};text-transform:uppercase;letter-spacing:1px}`,
  'h1{font-size:22px;line-height:28px;margin:4px 0 2px}',
  'h2{font-size:18px;margin:0 0 6px}',
  `.muted{color:${C.muted};font-size:13px}`,
  '.small{font-size:12px}',
  'section{margin:16px 0}',
  '.top-file{display:inline-block;font-size:13px;margin-top:4px}',
  // Tiles: three equal columns, whatever the labels.
  `.tiles{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));border-top:1px solid ${C.border};border-bottom:1px solid ${C.border};margin:12px 0}`,
  `.tile{text-align:center;padding:10px 4px;border-left:1px solid ${C.border};min-width:0}`,
  `.tile:last-child{border-right:1px solid ${C.border}}`,
  `.tile .label{font-size:13px;line-height:16px;color:${C.muted};min-height:32px;display:flex;align-items:flex-end;justify-content:center}`,
  '.tile .value{font-size:26px;line-height:32px;font-weight:bold}',
  `.tile.bad .value{color:${C.bad}}`,
  `.tile .note{font-size:12px;color:${C.muted}}`,
  // The clients to call.
  `.callfirst{background:${C.badBg};border-left:4px solid ${C.bad};padding:12px 12px 8px}`,
  `.callfirst h2{color:${C.bad}}`,
  '.callfirst .hint{font-size:13px;padding:0 0 8px}',
  '.callfirst ol{list-style:none;margin:0;padding:0}',
  `.callfirst li{display:flex;gap:8px;padding:7px 0;border-top:1px solid ${C.badLine}}`,
  `.callfirst .when{flex:0 0 52px;font-size:14px;color:${C.muted};white-space:nowrap}`,
  '.callfirst .who{min-width:0;font-size:14px}',
  `.callfirst .num{font-size:17px;font-weight:bold;color:${C.text};text-decoration:none;white-space:nowrap}`,
  `.callfirst .failed{font-size:13px;color:${C.warn}}`,
  `.callfirst .more{color:${C.bad};font-size:14px;border-top:1px solid ${C.badLine};padding-top:6px}`,
  `.calm{background:${C.goodBg};border-left:4px solid ${C.good};padding:12px 16px;font-weight:bold;color:${C.good}}`,
  // The XLSX button and the quick links.
  `.button{display:inline-block;background:${C.button};color:#fff;font-weight:bold;text-decoration:none;border-radius:4px;padding:12px 20px;border:0;font:inherit;font-weight:bold;cursor:pointer}`,
  `.button.secondary{background:${C.card};color:${C.button};border:1px solid ${C.button}}`,
  '.quick{font-size:14px;line-height:2}',
  '.quick a{white-space:nowrap}',
  // Figures.
  'table{border-collapse:collapse;width:100%}',
  `.figures td{padding:6px 0;border-bottom:1px solid ${C.border};font-size:14px;vertical-align:top}`,
  '.figures td+td{text-align:right;padding-left:8px;width:45%}',
  '.figures .v{font-weight:bold;white-space:nowrap}',
  `.figures .x{color:${C.muted}}`,
  '.figures .c{font-size:13px}',
  '.change{white-space:nowrap;display:inline-block}',
  `.good{color:${C.good}}`,
  `.bad{color:${C.bad}}`,
  `.neutral{color:${C.neutral}}`,
  // Hours: one row per hour, the bar an SVG whose rectangles carry their colours.
  `.legend{font-size:12px;color:${C.muted};margin-bottom:6px}`,
  '.legend span{white-space:nowrap;margin-right:10px}',
  `.sw-a{color:${C.answered}}.sw-m{color:${C.missed}}.sw-o{color:${C.outgoing}}`,
  '.hours td{font-size:12px;padding:1px 0}',
  `.hours th{font-size:11px;font-weight:normal;color:${C.muted};text-align:right;padding:0 0 4px 6px}`,
  `.hours .h{width:40px;color:${C.muted};white-space:nowrap;padding-right:6px}`,
  '.hours .n{width:36px;text-align:right;padding-left:6px}',
  `.hours .n.m{color:${C.missed}}.hours .n.z{color:${C.muted}}`,
  '.hours svg{display:block;width:100%;height:14px}',
  // Notices (errors, progress).
  '.notice h1{margin-top:8px}',
  '.notice p{margin:8px 0}',
  `.reason{background:${C.page};border-left:4px solid ${C.warn};padding:8px 12px;font-size:14px}`,
  'progress{width:100%;height:12px}',
  'form{margin:0}',
].join('\n');

/** `sha256-<base64>` of PAGE_CSS, as a CSP source expression wants it (without the quotes). */
export const PAGE_CSS_HASH = `sha256-${createHash('sha256').update(PAGE_CSS, 'utf8').digest('base64')}`;
