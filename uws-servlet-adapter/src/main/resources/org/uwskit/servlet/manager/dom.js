// Builds DOM nodes without ever parsing markup: text goes in as text nodes, so user data (RUNIDs, parameters,
// messages, results) can never become HTML or script.

/**
 * h('tag', {class, text, on: {click: fn}, attrs...}, ...children): a new element. Children are nodes, strings
 * (text nodes) or arrays of them; null and false are skipped.
 */
export function h(tag, props, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'multiple' || k === 'required') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Removes every child of el; returns el. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** Shows a message in the page's live status line. */
export function status(text, isError) {
  const s = document.getElementById('status');
  s.textContent = text || '';
  s.classList.toggle('error', !!isError);
}
