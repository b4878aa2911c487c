// The creation form of one job type, built from its JSON Schema ({list}/definitions/{type}): one labelled field per
// parameter with its default, range, options, unit and description; checks in the page with the server's own
// wording; the server's answer (a 400 names every bad parameter) is shown verbatim.
import { h, fill } from './dom.js';
import { createJob, getJson } from './api.js';

let counter = 0;

/** The messages of ParameterDefinition.parse and JobDefinition.validate, for the values a form field can hold. */
export function check(name, prop, raw, required) {
  const t = prop.items ? prop.items.type : prop.type;
  if (raw === '' || raw === null || raw === undefined) {
    return required ? 'the required parameter ' + name + ' is missing' : null;
  }
  if (t === 'integer' && !/^[+-]?[0-9]+$/.test(raw.trim())) {
    return name + ": '" + raw + "' is not an integer (ASCII digits, e.g. 42)";
  }
  if (t === 'number' && !/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(raw.trim())) {
    return name + ": '" + raw + "' is not a number (ASCII digits, e.g. 1.5 or 2e3)";
  }
  if (t === 'integer' || t === 'number') {
    const v = Number(raw);
    if (prop.minimum !== undefined && v < prop.minimum) return name + ': ' + raw + ' is below the minimum ' + prop.minimum;
    if (prop.maximum !== undefined && v > prop.maximum) return name + ': ' + raw + ' is above the maximum ' + prop.maximum;
  }
  if (prop.pattern && !new RegExp(prop.pattern, 'u').test(raw)) {
    return name + ": '" + raw + "' does not match the pattern " + prop.pattern.replace(/^\^\(\?:/, '').replace(/\)\$$/, '');
  }
  return null;
}

function field(name, prop, required) {
  const id = 'f' + (++counter) + '-' + name.replace(/[^A-Za-z0-9_-]/g, '_');
  const p = prop.items || prop;
  let input;
  if (p['x-upload']) {
    input = h('input', { type: 'file', id, name, 'data-upload': 'true' });
    if (p['x-contentTypes']) input.setAttribute('accept', p['x-contentTypes'].join(','));
  } else if (p.enum) {
    input = h('select', { id, name },
      required ? null : h('option', { value: '', text: '(none)' }),
      p.enum.map(o => h('option', { value: o, text: o, selected: prop.default === o })));
  } else if (p.type === 'boolean') {
    input = h('select', { id, name },
      required ? null : h('option', { value: '', text: '(none)' }),
      ['true', 'false'].map(o => h('option', { value: o, text: o, selected: String(prop.default) === o })));
  } else {
    input = h('input', {
      id, name,
      type: p.type === 'integer' || p.type === 'number' ? 'text' : 'text',
      inputmode: p.type === 'integer' ? 'numeric' : p.type === 'number' ? 'decimal' : null,
      value: prop.default !== undefined ? String(prop.default) : '',
      placeholder: p.format === 'date-time' ? 'e.g. 2030-01-01T00:00:00Z' : null,
    });
  }
  const range = (p.minimum !== undefined || p.maximum !== undefined)
    ? ' [' + (p.minimum ?? '−∞') + ' … ' + (p.maximum ?? '∞') + ']' : '';
  const unit = p['x-unit'] || prop['x-unit'];
  const msg = h('span', { class: 'field-error', id: id + '-err', role: 'alert' });
  input.setAttribute('aria-describedby', id + '-help ' + id + '-err');
  if (required) input.setAttribute('aria-required', 'true');
  return {
    name, prop, required, input, msg,
    el: h('div', { class: 'field' },
      h('label', { for: id }, name, required ? h('span', { class: 'req', title: 'required', text: ' *' }) : null),
      input, unit ? h('span', { class: 'unit', text: unit }) : null,
      h('small', { id: id + '-help', class: 'help' },
        (prop.description || p.description || '') + range),
      msg),
  };
}

/**
 * The form for `list`'s job types (`index` is its definitions index). onCreated(job) is called with the created
 * job's JSON.
 */
export function creationForm(list, index, onCreated) {
  const types = index.jobTypes || [];
  const box = h('section', { class: 'create', 'aria-label': 'New job' });
  const typeSelect = types.length > 1
    ? h('select', { id: 'jobtype', name: index.selector }, types.map(t => h('option', { value: t.name, text: t.name })))
    : null;
  const body = h('div');
  let fields = [];
  let schema = null;
  const runNow = h('input', { type: 'checkbox', id: 'run-now', checked: true });
  const runId = h('input', { type: 'text', id: 'runid', name: 'RUNID', autocomplete: 'off' });
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': 'upload' });
  const answer = h('p', { class: 'answer', role: 'alert' });
  const submit = h('button', { type: 'submit', text: 'Create job' });

  async function load(type) {
    fill(body, h('p', { text: 'Loading the form…' }));
    const t = types.find(x => x.name === type) || types[0];
    schema = await getJson(t.parametersSchema.replace('?FORMAT=schema', '') + '?FORMAT=schema');
    const req = new Set(schema.required || []);
    fields = [];
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      if (prop.const !== undefined) continue;
      fields.push(field(name, prop, req.has(name)));
    }
    fill(body, schema.description ? h('p', { class: 'help', text: schema.description }) : null,
      fields.map(f => f.el));
  }

  const form = h('form', { novalidate: true, on: { submit: async e => {
    e.preventDefault();
    answer.textContent = '';
    let bad = false;
    for (const f of fields) {
      const v = f.input.type === 'file' ? (f.input.files.length ? 'file' : '') : f.input.value;
      const m = f.input.type === 'file' ? (f.required && !v ? 'the required parameter ' + f.name + ' is missing' : null)
        : check(f.name, f.prop, v, f.required);
      f.msg.textContent = m || '';
      f.input.setAttribute('aria-invalid', m ? 'true' : 'false');
      if (m && !bad) { f.input.focus(); bad = true; }
    }
    if (bad) return;
    const fd = new FormData();
    if (typeSelect) fd.append(typeSelect.name, typeSelect.value);
    if (runId.value) fd.append('RUNID', runId.value);
    for (const f of fields) {
      if (f.input.type === 'file') {
        if (f.input.files.length) fd.append(f.name, f.input.files[0], f.input.files[0].name);
      } else if (f.input.value !== '') {
        fd.append(f.name, f.input.value);
      }
    }
    if (runNow.checked) fd.append('PHASE', 'RUN');
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    try {
      const job = await createJob(list, fd, p => { if (p >= 0) progress.value = p; });
      progress.value = 1;
      answer.textContent = '';
      onCreated(job);
    } catch (err) {
      answer.textContent = err.message; // the server's message, verbatim
      progress.hidden = true;
    } finally {
      submit.disabled = false;
    }
  } } },
  typeSelect ? h('div', { class: 'field' }, h('label', { for: 'jobtype', text: 'Job type' }), typeSelect) : null,
  body,
  h('div', { class: 'field' }, h('label', { for: 'runid', text: 'RUNID' }), runId,
    h('small', { class: 'help', text: 'a label of your own for this job' })),
  h('div', { class: 'field inline' }, runNow, h('label', { for: 'run-now', text: 'Run at once (else it stays PENDING)' })),
  h('div', { class: 'buttons' }, submit, progress), answer);
  if (typeSelect) typeSelect.addEventListener('change', () => load(typeSelect.value));
  box.appendChild(h('h2', { text: 'New job in ' + list }));
  box.appendChild(form);
  if (types.length) {
    load(types[0].name).catch(err => fill(body, h('p', { class: 'error', text: err.message })));
  } else {
    fill(body, h('p', { text: 'This job list describes no job type: give parameters as a UWS client would.' }));
  }
  return box;
}
