// Where a profiled server spends its CPU: the samples of a V8 .cpuprofile (node --cpu-prof) that
// fall in the load window, their self time grouped by package (node_modules/<name>, our dist/
// folders, Node.js core, GC) and the busiest functions.
import fs from 'node:fs';
import path from 'node:path';

/**
 * @param {string} file a .cpuprofile
 * @param {{ fromUs: number, toUs: number }} window monotonic microseconds (process.hrtime), the
 *   same clock V8 stamps its samples with on Linux
 */
export function summariseProfile(file, window) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  let at = profile.startTime;
  let inWindow = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i];
    // The delta before a sample is the time that sample stands for.
    if (at < window.fromUs || at > window.toUs) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + profile.timeDeltas[i]);
    inWindow += profile.timeDeltas[i];
  }
  const groups = new Map();
  const functions = new Map();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const group = groupOf(frame);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const busyUs = inWindow - idleUs;
  const share = (entries, count) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => ({ name, share: us / busyUs }));
  return {
    windowMs: inWindow / 1000,
    busyShare: inWindow > 0 ? busyUs / inWindow : Number.NaN,
    groups: share(groups, 8),
    functions: share(functions, 8),
  };
}

// Native bindings that write to a socket: the kernel's loopback TCP work is charged to them.
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);

function groupOf(frame) {
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') return 'V8: garbage collection';
    if (frame.functionName === '(program)') return 'V8/native (program)';
    if (SOCKET_WRITES.has(frame.functionName)) return 'socket writes (native)';
    // Code made with `new Function` (compiled serializers and validators) has a script but no URL.
    if (String(frame.scriptId) !== '0') return 'generated code (new Function)';
    return `native: ${frame.functionName}`;
  }
  const modules = frame.url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const parts = frame.url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = frame.url.lastIndexOf('/dist/');
  if (dist !== -1) return `dataregistry dist/${frame.url.slice(dist + 6).split('/')[0]}/`;
  if (frame.url.startsWith('node:')) return 'Node.js core';
  return path.basename(frame.url);
}

function shortUrl(url) {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist !== -1) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/** The one .cpuprofile a process wrote into `dir`. */
export function findProfile(dir) {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length !== 1)
    throw new Error(`expected one .cpuprofile in ${dir}, found ${files.length}`);
  return path.join(dir, files[0]);
}
