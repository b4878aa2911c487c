// Previews of results in the page: text, JSON, CSV/TSV and VOTable as tables, images through <img> (an SVG in an
// <img> runs no script). Only the first PREVIEW_BYTES are read (Range); nothing is ever parsed as HTML.
import { h } from './dom.js';
import { getText } from './api.js';

const PREVIEW_BYTES = 256 * 1024;
const MAX_ROWS = 200;
const IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'];

export function kind(mimeType, id) {
  const t = (mimeType || '').split(';')[0].trim().toLowerCase();
  if (IMAGES.includes(t)) return 'image';
  if (t === 'text/csv') return 'csv';
  if (t === 'text/tab-separated-values') return 'tsv';
  if (t === 'application/json' || t.endsWith('+json')) return 'json';
  if (t === 'application/x-votable+xml' || t.includes('votable') || /\.vot(able)?$/i.test(id || '')) return 'votable';
  if (t.startsWith('text/') && t !== 'text/html' || t === 'application/xml' || t.endsWith('+xml')) return 'text';
  return null;
}

function table(header, rows, caption) {
  return h('div', { class: 'tablewrap' }, h('table', { class: 'data' },
    caption ? h('caption', { text: caption }) : null,
    header ? h('thead', {}, h('tr', {}, header.map(c => h('th', { scope: 'col', text: c })))) : null,
    h('tbody', {}, rows.slice(0, MAX_ROWS).map(r => h('tr', {}, r.map(c => h('td', { text: c })))))));
}

/** Splits delimited text, honouring double quotes (RFC 4180). */
export function splitDelimited(text, sep) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
      if (rows.length > MAX_ROWS) return rows;
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function votable(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new Error('not well-formed XML');
  const byName = (el, n) => Array.from(el.getElementsByTagNameNS('*', n));
  const tables = byName(doc, 'TABLE');
  if (!tables.length) throw new Error('no TABLE in this VOTable');
  return tables.slice(0, 3).map(t => {
    const fields = byName(t, 'FIELD').map(f => f.getAttribute('name') + (f.getAttribute('unit') ? ' [' + f.getAttribute('unit') + ']' : ''));
    const rows = byName(t, 'TR').slice(0, MAX_ROWS).map(tr => byName(tr, 'TD').map(td => td.textContent));
    const data = byName(t, 'TABLEDATA').length ? null : 'rows in BINARY or FITS serialization are not shown';
    return [table(fields, rows, t.getAttribute('name')), data ? h('p', { class: 'help', text: data }) : null];
  });
}

/** The preview of one result (UWS JSON result: id, href, mimeType, size) as an element. */
export async function preview(result) {
  const k = kind(result.mimeType, result.id);
  if (k === 'image') {
    return h('img', { src: result.href, alt: 'result ' + result.id, class: 'result-image' });
  }
  if (!k) return h('p', { class: 'help', text: 'No preview for ' + (result.mimeType || 'this type') + '; download it.' });
  const { text, cut } = await getText(result.href, PREVIEW_BYTES);
  const note = cut ? h('p', { class: 'help', text: 'Only the first ' + PREVIEW_BYTES / 1024 + ' KiB are shown.' }) : null;
  if (k === 'csv' || k === 'tsv') {
    const rows = splitDelimited(text, k === 'csv' ? ',' : '\t').filter(r => r.length > 1 || r[0] !== '');
    return h('div', {}, table(rows[0], rows.slice(1)), note);
  }
  if (k === 'votable') {
    try {
      return h('div', {}, votable(text), note);
    } catch (e) {
      return h('div', {}, h('p', { class: 'help', text: 'Shown as text: ' + e.message }), h('pre', { text }), note);
    }
  }
  if (k === 'json' && !cut) {
    try {
      return h('pre', { class: 'text', text: JSON.stringify(JSON.parse(text), null, 2) });
    } catch (e) {
      // shown as it is
    }
  }
  return h('div', {}, h('pre', { class: 'text', text }), note);
}
