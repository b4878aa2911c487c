// The page's only way to the service: the public UWS resources, same-origin, with the caller's own credentials.
// State-changing requests are same-origin fetches (the browser sends Origin = the service's), so the servlet's
// cross-site check passes them and would refuse the same request from another site.

/** The servlet's mount, ending in '/': the manager lives at {mount}_manager/. */
export const mount = new URL('..', location.href).href;

export class HttpError extends Error {
  constructor(status, text) {
    super(text || ('HTTP ' + status));
    this.status = status;
  }
}

async function check(r) {
  if (r.ok || r.type === 'opaqueredirect' || r.status === 303) return r;
  const text = (await r.text()).trim();
  throw new HttpError(r.status, text || ('HTTP ' + r.status + ' ' + r.statusText));
}

export function listUrl(list) {
  return mount + encodeURIComponent(list);
}

export function jobUrl(list, id) {
  return listUrl(list) + '/' + encodeURIComponent(id);
}

export async function getJson(url) {
  const r = await check(await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }));
  return r.json();
}

export async function getText(url, maxBytes) {
  const headers = { Accept: '*/*' };
  if (maxBytes) headers.Range = 'bytes=0-' + (maxBytes - 1);
  const r = await check(await fetch(url, { headers, credentials: 'same-origin' }));
  const text = await r.text();
  const range = r.headers.get('Content-Range');
  const total = range ? Number(range.split('/')[1]) : text.length;
  return { text, cut: r.status === 206 && total > maxBytes, type: r.headers.get('Content-Type') || '' };
}

/** POSTs name=value pairs (urlencoded, as a UWS client does); the 303 is not followed. */
export async function post(url, pairs) {
  const body = new URLSearchParams();
  for (const [k, v] of pairs) body.append(k, v);
  await check(await fetch(url, { method: 'POST', body, redirect: 'manual', credentials: 'same-origin' }));
}

export async function del(url) {
  await check(await fetch(url, { method: 'DELETE', redirect: 'manual', credentials: 'same-origin' }));
}

/**
 * Creates a job with a multipart POST (uploads included) through XMLHttpRequest, whose upload events give the
 * progress bar; resolves with the created job's JSON (the 303 is followed with Accept: application/json).
 */
export function createJob(list, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', listUrl(list));
    x.setRequestHeader('Accept', 'application/json');
    x.upload.addEventListener('progress', e => onProgress(e.lengthComputable ? e.loaded / e.total : -1));
    x.addEventListener('load', () => {
      if (x.status >= 200 && x.status < 300) {
        try {
          resolve(JSON.parse(x.responseText));
        } catch (e) {
          reject(new HttpError(x.status, 'the service answered something else than the job: ' + e.message));
        }
      } else {
        reject(new HttpError(x.status, x.responseText.trim() || ('HTTP ' + x.status)));
      }
    });
    x.addEventListener('error', () => reject(new HttpError(0, 'the request failed (network error)')));
    x.send(formData);
  });
}

/**
 * One server-sent event stream of a job list's changes ({list}/events), shared by the views of that list.
 * Handlers: onReady (the stream is open: read the list now), onJob(change), onDeleted(id), onResync.
 */
export class JobStream {
  constructor(list) {
    this.list = list;
    this.handlers = new Set();
    this.source = new EventSource(listUrl(list) + '/events');
    const each = (name, arg) => this.handlers.forEach(h => h[name] && h[name](arg));
    this.source.addEventListener('ready', () => each('onReady'));
    this.source.addEventListener('job', e => each('onJob', JSON.parse(e.data)));
    this.source.addEventListener('deleted', e => each('onDeleted', JSON.parse(e.data).jobId));
    this.source.addEventListener('resync', () => each('onResync'));
    this.source.addEventListener('error', () => each('onLost'));
  }

  subscribe(h) {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  close() {
    this.source.close();
  }
}
