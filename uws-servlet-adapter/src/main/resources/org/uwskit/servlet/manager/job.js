// One job: its phase, progress, times, owner, quote, execution duration and destruction, parameters, results with
// previews, error, stdout/stderr and provenance; run, abort, delete and changes from here; live from the job
// list's event stream.
import { h, fill, status } from './dom.js';
import { getJson, getText, post, del, jobUrl, listUrl } from './api.js';
import { time, duration, bytes, toLocalInput, fromLocalInput } from './format.js';
import { progressCell } from './list.js';
import { preview } from './preview.js';
import { provenance } from './prov.js';

const FINISHED = ['COMPLETED', 'ERROR', 'ABORTED', 'ARCHIVED'];

export class JobView {
  constructor(list, id, stream, go) {
    this.list = list;
    this.id = id;
    this.stream = stream;
    this.go = go;
    this.url = jobUrl(list, id);
  }

  render(main) {
    this.main = main;
    this.box = h('div', { class: 'job' }, h('p', { text: 'Loading…' }));
    fill(main, h('p', {}, h('a', { href: '#list/' + encodeURIComponent(this.list), text: '← ' + this.list })), this.box);
    this.unsubscribe = this.stream.subscribe(this);
    this.load();
  }

  destroy() {
    if (this.unsubscribe) this.unsubscribe();
  }

  async load() {
    try {
      const job = await getJson(this.url);
      if (this.job && JSON.stringify(job) === JSON.stringify(this.job)) return; // nothing new: keep focus and state
      this.job = job;
      this.draw();
    } catch (err) {
      fill(this.box, h('p', { class: 'error', role: 'alert', text: err.message }));
    }
  }

  action(label, fn, enabled = true) {
    return h('button', { type: 'button', text: label, disabled: !enabled, class: label === 'Delete' ? 'danger' : null, on: { click: async () => {
      try {
        await fn();
        status(label + ': done');
        if (label === 'Delete') this.go('list', this.list);
        else this.load();
      } catch (err) {
        status(label + ': ' + err.message, true);
      }
    } } });
  }

  draw() {
    const j = this.job;
    const finished = FINISHED.includes(j.phase);
    const info = j.jobInfo || {};
    const dd = (k, v) => [h('dt', { text: k }), h('dd', {}, v)];
    const destruction = h('input', { type: 'datetime-local', id: 'job-destruction', value: toLocalInput(j.destruction) });
    const execDur = h('input', { type: 'text', inputmode: 'numeric', id: 'job-duration', size: '8', value: String(j.executionDuration) });
    this.phaseEl = h('span', { class: 'phase phase-' + j.phase, id: 'job-phase', text: j.phase });
    this.progEl = h('div', { id: 'job-progress' }, info.progress !== undefined || j.phase === 'EXECUTING'
      ? progressCell(info.progress, info.progressMessage) : null);
    const results = (j.results || []);
    this.resultsBox = h('div');
    fill(this.box,
      h('h2', {}, j.runId ? h('span', { class: 'runid', text: j.runId }) : h('em', { text: 'no RUNID' }),
        ' ', h('code', { class: 'jobid', text: j.jobId })),
      h('div', { class: 'actions' },
        this.action('Run', () => post(this.url + '/phase', [['PHASE', 'RUN']]), ['PENDING', 'HELD'].includes(j.phase)),
        this.action('Abort', () => post(this.url + '/phase', [['PHASE', 'ABORT']]),
          ['PENDING', 'QUEUED', 'EXECUTING'].includes(j.phase)),
        this.action('Delete', () => del(this.url)),
        h('a', { href: this.url + '?FORMAT=html', text: 'plain HTML page' })),
      h('dl', { class: 'facts' },
        dd('Phase', this.phaseEl), dd('Progress', this.progEl),
        dd('Owner', j.ownerId || 'anonymous'),
        dd('Created', time(j.creationTime)), dd('Started', time(j.startTime)), dd('Ended', time(j.endTime)),
        dd('Quote', time(j.quote)),
        dd('Execution duration', [duration(j.executionDuration), ' ',
          h('label', { for: 'job-duration', class: 'visually-hidden', text: 'new execution duration in seconds' }), execDur,
          this.action('Set duration', () => post(this.url + '/executionduration', [['EXECUTIONDURATION', execDur.value]]),
            j.phase === 'PENDING')]),
        dd('Destruction', [time(j.destruction), ' ',
          h('label', { for: 'job-destruction', class: 'visually-hidden', text: 'new destruction time' }), destruction,
          this.action('Set destruction', () => post(this.url + '/destruction', [['DESTRUCTION', fromLocalInput(destruction.value)]]),
            j.phase !== 'ARCHIVED')])),
      j.errorSummary ? this.error(j.errorSummary) : null,
      h('h3', { text: 'Parameters' }),
      h('table', { class: 'data params' }, h('tbody', {}, (j.parameters || []).map(p => h('tr', {},
        h('th', { scope: 'row', text: p.id }),
        h('td', {}, p.byReference && p.value && p.value.startsWith(listUrl(this.list))
          ? h('a', { href: p.value, download: '', text: 'uploaded file' }) : p.value))))),
      h('h3', { text: 'Results' }),
      results.length ? h('ul', { class: 'results' }, results.map(r => this.result(r))) : h('p', { class: 'help', text: 'none yet' }),
      finished ? h('section', { 'aria-label': 'Provenance' }, h('h3', { text: 'Provenance' }), this.provBox = h('div', { id: 'provenance' }, 'Loading…')) : null);
    if (finished) provenance(this.list, this.id, this.provBox);
    for (const r of results.filter(r => /^std(out|err)$/i.test(r.id))) this.open(r);
  }

  error(e) {
    const detail = h('pre', { class: 'text', id: 'error-detail' });
    const box = h('section', { class: 'errorbox', role: 'alert', 'aria-label': 'Error' },
      h('h3', { text: 'Error (' + e.type + ')' }), h('p', { id: 'error-message', text: e.message || '' }), detail);
    getText(this.url + '/error').then(r => { detail.textContent = r.text; }).catch(err => { detail.textContent = err.message; });
    return box;
  }

  result(r) {
    const out = h('div', { class: 'preview', id: 'preview-' + r.id });
    const li = h('li', { 'data-result': r.id },
      h('strong', { text: r.id }), ' ', h('span', { class: 'help', text: (r.mimeType || 'unknown type') + ', ' + bytes(r.size) }), ' ',
      h('button', { type: 'button', text: 'Preview', 'aria-controls': out.id, on: { click: () => this.open(r) } }), ' ',
      h('a', { href: r.href, download: r.id, text: 'Download' }), out);
    this.previews = this.previews || new Map();
    this.previews.set(r.id, out);
    return li;
  }

  async open(r) {
    const out = this.previews.get(r.id);
    fill(out, h('p', { text: 'Loading…' }));
    try {
      fill(out, await preview(r));
    } catch (err) {
      fill(out, h('p', { class: 'error', text: err.message }));
    }
  }

  // ---- event stream
  onReady() { this.load(); }
  onResync() { this.load(); }

  onJob(c) {
    if (c.jobId !== this.id || !this.job) return;
    if (c.phase !== this.job.phase) {
      this.load(); // times, results, error change with the phase
      return;
    }
    this.job.jobInfo = Object.assign({}, this.job.jobInfo, { progress: c.progress, progressMessage: c.progressMessage });
    fill(this.progEl, progressCell(c.progress, c.progressMessage));
    if (c.version !== this.version) {
      this.version = c.version;
      clearTimeout(this.pending);
      this.pending = setTimeout(() => this.refreshResults(), 500);
    }
  }

  async refreshResults() {
    try {
      const j = await getJson(this.url);
      if ((j.results || []).length !== (this.job.results || []).length && j.phase === this.job.phase) {
        this.job = j;
        this.draw();
      }
    } catch (err) {
      // the next event tries again
    }
  }

  onDeleted(id) {
    if (id === this.id) fill(this.box, h('p', { role: 'alert', text: 'This job was deleted.' }));
  }
}
