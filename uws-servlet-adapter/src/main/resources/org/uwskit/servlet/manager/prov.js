// The provenance of a finished job: the graph the service draws (Graphviz SVG of {job}/provenance), copied into the
// page element by element through an allow-list (no script, no style, no foreign links), with links to the jobs it
// used or that used it, found in the PROV-JSON document.
import { h, fill } from './dom.js';
import { getJson, getText, jobUrl, mount } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';
const XLINK = 'http://www.w3.org/1999/xlink';
const ELEMENTS = new Set(['svg', 'g', 'path', 'polygon', 'polyline', 'ellipse', 'circle', 'rect', 'line', 'text', 'title', 'a']);
const ATTRS = new Set(['viewBox', 'width', 'height', 'transform', 'd', 'points', 'cx', 'cy', 'rx', 'ry', 'r', 'x', 'y',
  'x1', 'y1', 'x2', 'y2', 'fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-family', 'font-size',
  'font-weight', 'font-style', 'text-anchor', 'preserveAspectRatio', 'class']);

/** {list, id} of a URL of a job (or of one of its resources) under this mount, or null. */
export function jobOf(url) {
  if (!url || !url.startsWith(mount)) return null;
  const parts = url.slice(mount.length).split(/[/?#]/);
  if (parts.length < 2 || !/^[A-Za-z0-9]{16,64}$/.test(parts[1])) return null;
  return { list: decodeURIComponent(parts[0]), id: parts[1] };
}

function expander(doc) {
  const prefixes = doc.prefix || {};
  return q => {
    const i = String(q).indexOf(':');
    if (i < 0) return q;
    const p = q.slice(0, i);
    return Object.prototype.hasOwnProperty.call(prefixes, p) ? prefixes[p] + q.slice(i + 1) : q;
  };
}

/** A clean copy of a parsed SVG element, or null if it is not allowed. */
function copy(node, expand, self) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.nodeValue);
  if (node.nodeType !== Node.ELEMENT_NODE || node.namespaceURI !== SVG || !ELEMENTS.has(node.localName)) return null;
  const out = document.createElementNS(SVG, node.localName);
  for (const a of Array.from(node.attributes)) {
    if (!a.namespaceURI && ATTRS.has(a.localName)) out.setAttribute(a.localName, a.value);
  }
  if (node.localName === 'a') {
    const target = jobOf(expand(node.getAttribute('href') || node.getAttributeNS(XLINK, 'href') || ''));
    if (target && target.id !== self) out.setAttribute('href', '#job/' + encodeURIComponent(target.list) + '/' + target.id);
  }
  for (const c of Array.from(node.childNodes)) {
    const k = copy(c, expand, self);
    if (k) out.appendChild(k);
  }
  return out;
}

export async function provenance(list, id, box) {
  const url = jobUrl(list, id) + '/provenance';
  let doc;
  try {
    doc = await getJson(url);
  } catch (err) {
    fill(box, h('p', { class: 'help', text: 'No provenance: ' + err.message }));
    return;
  }
  const expand = expander(doc);
  const related = new Map();
  for (const section of ['entity', 'activity']) {
    for (const qid of Object.keys(doc[section] || {})) {
      const j = jobOf(expand(qid));
      if (j && j.id !== id) related.set(j.list + '/' + j.id, j);
    }
  }
  const graph = h('div', { class: 'prov-graph', role: 'img', 'aria-label': 'provenance graph' });
  try {
    const { text } = await getText(url + '?FORMAT=svg');
    const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = copy(parsed.documentElement, expand, id);
    if (!svg || svg.localName !== 'svg') throw new Error('not an SVG drawing');
    graph.appendChild(svg);
  } catch (err) {
    graph.appendChild(h('p', { class: 'help', text: 'The graph is not drawn here (' + err.message + ').' }));
  }
  fill(box, graph,
    h('h4', { text: 'Related jobs' }),
    related.size ? h('ul', { class: 'related' }, Array.from(related.values()).map(j =>
      h('li', {}, h('a', { href: '#job/' + encodeURIComponent(j.list) + '/' + j.id, text: j.list + ' / ' + j.id }))))
      : h('p', { class: 'help', text: 'none' }),
    h('p', {}, 'Download: ', ['json', 'xml', 'provn', 'svg'].map(f => [h('a', { href: url + '?FORMAT=' + f, download: 'provenance.' + f, text: f }), ' '])));
}
