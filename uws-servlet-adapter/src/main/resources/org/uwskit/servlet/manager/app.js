// The job manager's entry point: finds the job lists the caller may use, keeps one event stream open for the job
// list on screen, and routes #list/NAME and #job/NAME/ID to their views.
import { h, fill, status } from './dom.js';
import { mount, getJson, getText, listUrl, JobStream } from './api.js';
import { ListView } from './list.js';
import { JobView } from './job.js';

const lists = new Map(); // name -> definitions index
let stream = null;
let view = null;

function go(kind, list, id) {
  location.hash = kind === 'job' ? '#job/' + encodeURIComponent(list) + '/' + encodeURIComponent(id)
    : '#list/' + encodeURIComponent(list);
}

function streamFor(list) {
  if (!stream || stream.list !== list) {
    if (stream) stream.close();
    stream = new JobStream(list);
    stream.subscribe({
      onLost: () => status('Live updates interrupted; reconnecting…'),
      onReady: () => status(''),
    });
  }
  return stream;
}

function route() {
  const [kind, a, b] = location.hash.replace(/^#/, '').split('/').map(decodeURIComponent);
  let list = lists.has(a) ? a : lists.keys().next().value;
  if (!list) return;
  if (view) view.destroy();
  status('');
  for (const btn of document.querySelectorAll('#lists a')) {
    btn.setAttribute('aria-current', btn.dataset.list === list ? 'page' : 'false');
  }
  const main = document.getElementById('main');
  view = kind === 'job' && b && lists.has(a)
    ? new JobView(list, b, streamFor(list), go)
    : new ListView(list, lists.get(list), streamFor(list), go);
  view.render(main);
}

async function start() {
  const nav = document.getElementById('lists');
  let names;
  try {
    names = (await getText(mount)).text.split('\n').map(s => s.trim()).filter(Boolean)
      .map(u => decodeURIComponent(u.slice(u.lastIndexOf('/') + 1)));
  } catch (err) {
    status(err.message, true);
    return;
  }
  // the job lists this caller may use are those whose descriptions it may read
  await Promise.all(names.map(async n => {
    try {
      lists.set(n, await getJson(listUrl(n) + '/definitions'));
    } catch (err) {
      // not for this caller
    }
  }));
  const usable = names.filter(n => lists.has(n));
  const ordered = new Map(usable.map(n => [n, lists.get(n)]));
  lists.clear();
  ordered.forEach((v, k) => lists.set(k, v));
  fill(nav, usable.map(n => h('a', { href: '#list/' + encodeURIComponent(n), 'data-list': n, text: n })));
  if (!usable.length) {
    fill(document.getElementById('main'), h('p', { text: 'There is no job list you may use here.' }));
    return;
  }
  window.addEventListener('hashchange', route);
  // a page kept in the back-forward cache must not hold its stream (and one of the browser's six connections)
  window.addEventListener('pagehide', () => {
    if (stream) stream.close();
    stream = null;
  });
  window.addEventListener('pageshow', e => { if (e.persisted) route(); });
  route();
}

start();
