// A job list: the caller's jobs newest first, filtered by phase and date (UWS PHASE and AFTER), searched by RUNID,
// paged by 'Show more' (LAST), updated live from the list's event stream, with actions on the selected jobs.
import { h, fill, status } from './dom.js';
import { getJson, post, del, listUrl, jobUrl } from './api.js';
import { PHASES, ACTIVE, time, fromLocalInput } from './format.js';
import { creationForm } from './form.js';

const PAGE = 25;

export function progressCell(progress, message) {
  const p = progress === undefined || progress === null ? null : Number(progress);
  return h('div', { class: 'progress' },
    p === null ? null : h('progress', { max: '1', value: String(p), 'aria-label': 'progress ' + Math.round(p * 100) + '%' }),
    p === null ? null : h('span', { class: 'pct', text: Math.round(p * 100) + '%' }),
    message ? h('span', { class: 'msg', text: message }) : null);
}

export class ListView {
  constructor(list, index, stream, go) {
    this.list = list;
    this.index = index;
    this.stream = stream;
    this.go = go;
    this.last = PAGE;
    this.jobs = [];
    this.rows = new Map();
    this.progress = new Map();
    this.selected = new Set();
    this.ignored = new Set();
  }

  render(main) {
    const phaseBoxes = PHASES.slice(0, 6).map(p => {
      const id = 'ph-' + p;
      const cb = h('input', { type: 'checkbox', id, value: p, on: { change: () => this.reload() } });
      return h('span', { class: 'chk' }, cb, h('label', { for: id, text: p }));
    });
    this.phaseBoxes = phaseBoxes.map(s => s.firstChild);
    this.after = h('input', { type: 'datetime-local', id: 'after', on: { change: () => this.reload() } });
    this.search = h('input', { type: 'search', id: 'search', placeholder: 'RUNID contains…',
      on: { input: () => this.draw() } });
    this.table = h('tbody');
    this.more = h('button', { type: 'button', text: 'Show more', hidden: true, on: { click: () => { this.last += PAGE; this.reload(); } } });
    this.count = h('span', { class: 'count' });
    this.destruction = h('input', { type: 'datetime-local', id: 'bulk-destruction' });
    this.duration = h('input', { type: 'text', inputmode: 'numeric', id: 'bulk-duration', size: '6' });
    this.allBox = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'select all shown jobs',
      on: { change: e => { this.shown().forEach(j => e.target.checked ? this.selected.add(j.jobId) : this.selected.delete(j.jobId)); this.draw(); } } });
    const act = (label, fn, cls) => h('button', { type: 'button', class: cls, text: label, on: { click: () => this.bulk(label, fn) } });
    this.formBox = h('div', { hidden: true });
    fill(main,
      h('div', { class: 'listhead' },
        h('h2', { text: this.list }),
        this.index.description ? h('p', { class: 'help', text: this.index.description }) : null,
        h('button', { type: 'button', id: 'new-job', class: 'primary', text: 'New job', 'aria-expanded': 'false',
          on: { click: e => this.toggleForm(e.target) } }),
        h('a', { href: listUrl(this.list) + '?FORMAT=html', text: 'plain HTML page' })),
      this.formBox,
      h('fieldset', { class: 'filters' }, h('legend', { text: 'Filter' }),
        h('div', { class: 'phases' }, phaseBoxes),
        h('span', { class: 'field inline' }, h('label', { for: 'after', text: 'Created after' }), this.after),
        h('span', { class: 'field inline' }, h('label', { for: 'search', text: 'RUNID' }), this.search)),
      h('fieldset', { class: 'bulk' }, h('legend', { text: 'Selected jobs' }),
        act('Run', j => post(jobUrl(this.list, j) + '/phase', [['PHASE', 'RUN']])),
        act('Abort', j => post(jobUrl(this.list, j) + '/phase', [['PHASE', 'ABORT']])),
        act('Delete', j => del(jobUrl(this.list, j)), 'danger'),
        h('span', { class: 'field inline' }, h('label', { for: 'bulk-destruction', text: 'Destruction' }), this.destruction,
          act('Set destruction', j => post(jobUrl(this.list, j) + '/destruction', [['DESTRUCTION', fromLocalInput(this.destruction.value)]]))),
        h('span', { class: 'field inline' }, h('label', { for: 'bulk-duration', text: 'Execution duration (s)' }), this.duration,
          act('Set duration', j => post(jobUrl(this.list, j) + '/executionduration', [['EXECUTIONDURATION', this.duration.value]])))),
      h('div', { class: 'tablewrap' }, h('table', { class: 'jobs' },
        h('caption', { class: 'visually-hidden', text: 'Jobs of ' + this.list + ', newest first' }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, this.allBox), h('th', { scope: 'col', text: 'RUNID / job' }),
          h('th', { scope: 'col', text: 'Phase' }), h('th', { scope: 'col', text: 'Progress' }),
          h('th', { scope: 'col', text: 'Created' }), h('th', { scope: 'col', text: 'Owner' }))),
        this.table)),
      h('p', {}, this.count, ' ', this.more));
    this.unsubscribe = this.stream.subscribe(this);
    this.reload();
  }

  toggleForm(button) {
    const open = this.formBox.hidden;
    this.formBox.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open && !this.formBox.firstChild) {
      this.formBox.appendChild(creationForm(this.list, this.index, job => {
        status('Created job ' + (job.runId || job.jobId));
        this.go('job', this.list, job.jobId);
      }));
    }
  }

  destroy() {
    if (this.unsubscribe) this.unsubscribe();
  }

  async reload() {
    const q = new URLSearchParams();
    this.phaseBoxes.filter(b => b.checked).forEach(b => q.append('PHASE', b.value));
    if (this.after.value) q.append('AFTER', fromLocalInput(this.after.value));
    q.append('LAST', String(this.last + 1));
    try {
      const doc = await getJson(listUrl(this.list) + '?' + q);
      const jobs = doc.jobs.slice(0, this.last);
      const same = this.drawn && JSON.stringify(jobs) === JSON.stringify(this.jobs) && this.hasMore === doc.jobs.length > this.last;
      this.hasMore = doc.jobs.length > this.last;
      this.jobs = jobs;
      if (!same) this.draw(); // else keep the rows (and focus) as they are
      this.drawn = true;
      // the progress of the running jobs shown (later changes come from the event stream)
      for (const j of this.jobs.filter(j => j.phase === 'EXECUTING' && !this.progress.has(j.jobId)).slice(0, PAGE)) {
        getJson(jobUrl(this.list, j.jobId)).then(full => this.onJob({ jobId: j.jobId, phase: full.phase,
          progress: full.jobInfo.progress, progressMessage: full.jobInfo.progressMessage })).catch(() => {});
      }
    } catch (err) {
      status(err.message, true);
    }
  }

  shown() {
    const s = this.search.value.trim().toLowerCase();
    return s ? this.jobs.filter(j => (j.runId || '').toLowerCase().includes(s)) : this.jobs;
  }

  draw() {
    const shown = this.shown();
    this.rows.clear();
    fill(this.table, shown.map(j => this.row(j)));
    if (!shown.length) this.table.appendChild(h('tr', {}, h('td', { colspan: '6', text: 'No jobs.' })));
    this.count.textContent = shown.length + ' job(s) shown' + (this.hasMore ? ', more exist' : '');
    this.more.hidden = !this.hasMore;
    this.allBox.checked = shown.length > 0 && shown.every(j => this.selected.has(j.jobId));
  }

  row(j) {
    const p = this.progress.get(j.jobId) || {};
    const cb = h('input', { type: 'checkbox', 'aria-label': 'select job ' + (j.runId || j.jobId), checked: this.selected.has(j.jobId),
      on: { change: e => e.target.checked ? this.selected.add(j.jobId) : this.selected.delete(j.jobId) } });
    const link = h('a', { href: '#job/' + encodeURIComponent(this.list) + '/' + encodeURIComponent(j.jobId), class: 'runid' },
      j.runId ? j.runId : h('em', { text: 'no RUNID' }));
    const phase = h('span', { class: 'phase phase-' + j.phase, text: j.phase });
    const prog = h('td', { class: 'prog' }, j.phase === 'EXECUTING' || p.progress ? progressCell(p.progress, p.progressMessage) : null);
    const tr = h('tr', { 'data-job': j.jobId },
      h('td', {}, cb),
      h('td', {}, link, h('br'), h('code', { class: 'jobid', text: j.jobId })),
      h('td', {}, phase), prog,
      h('td', { text: time(j.creationTime) }),
      h('td', { text: j.ownerId || 'anonymous' }));
    this.rows.set(j.jobId, { tr, phase, prog, job: j });
    return tr;
  }

  async bulk(label, fn) {
    const ids = this.jobs.map(j => j.jobId).filter(id => this.selected.has(id));
    if (!ids.length) {
      status('Select jobs first', true);
      return;
    }
    const errors = [];
    for (const id of ids) {
      try {
        await fn(id);
      } catch (err) {
        errors.push(id + ': ' + err.message);
      }
    }
    if (label === 'Delete') ids.forEach(id => this.selected.delete(id));
    status(errors.length ? label + ': ' + errors.join('; ') : label + ': done for ' + ids.length + ' job(s)', errors.length > 0);
    this.reload();
  }

  // ---- event stream
  onReady() { this.reload(); }
  onResync() { this.reload(); }

  onJob(c) {
    if (c.progress !== undefined || c.progressMessage !== undefined) {
      this.progress.set(c.jobId, { progress: c.progress, progressMessage: c.progressMessage });
    }
    const r = this.rows.get(c.jobId);
    if (!r) {
      const known = this.jobs.find(j => j.jobId === c.jobId);
      if (known) {
        known.phase = c.phase; // listed but not shown (RUNID search)
        return;
      }
      // a job this page has not listed (created elsewhere, or older than the page, or filtered out): read the list
      // again, once per burst and once per job and phase (progress alone does not bring a job onto the page)
      if (this.ignored.has(c.jobId + ' ' + c.phase)) return;
      this.ignored.add(c.jobId + ' ' + c.phase);
      clearTimeout(this.pending);
      this.pending = setTimeout(() => this.reload(), 300);
      return;
    }
    r.job.phase = c.phase;
    r.phase.textContent = c.phase;
    r.phase.className = 'phase phase-' + c.phase;
    const p = this.progress.get(c.jobId) || {};
    fill(r.prog, c.phase === 'EXECUTING' || p.progress ? progressCell(p.progress, p.progressMessage) : null);
    const filtered = this.phaseBoxes.filter(b => b.checked).map(b => b.value);
    if (filtered.length && !filtered.includes(c.phase)) this.reload();
  }

  onDeleted(id) {
    this.jobs = this.jobs.filter(j => j.jobId !== id);
    this.selected.delete(id);
    this.draw();
  }
}

export { ACTIVE };
