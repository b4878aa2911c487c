// Formatting of values shown in the page.

export function bytes(n) {
  if (n === null || n === undefined || n < 0) return 'size unknown';
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return v.toFixed(v < 10 ? 1 : 0) + ' ' + units[i];
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

export function duration(seconds) {
  if (seconds === 0) return 'unlimited';
  if (seconds === null || seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
  return (h ? h + ' h ' : '') + (m ? m + ' min ' : '') + (s || (!h && !m) ? s + ' s' : '').trim();
}

/** A local datetime-local input value for an ISO instant, and back. */
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const p = n => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
}

export function fromLocalInput(v) {
  return v ? new Date(v).toISOString() : '';
}

export const ACTIVE = ['PENDING', 'QUEUED', 'EXECUTING', 'HELD', 'SUSPENDED'];
export const PHASES = ['PENDING', 'QUEUED', 'EXECUTING', 'COMPLETED', 'ERROR', 'ABORTED', 'HELD', 'SUSPENDED', 'ARCHIVED', 'UNKNOWN'];
