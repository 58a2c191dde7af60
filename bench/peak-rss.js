#!/usr/bin/env node
// Fallback for machines without GNU /usr/bin/time: runs CMD ARGS..., polls VmHWM (peak RSS) in /proc/<pid>/status
// of the process and its descendants every 5 ms, and writes the largest value seen, in KB, to OUTFILE.
// Processes shorter than one poll interval can be missed, so this under-reports slightly; bench/run.js says which
// method it used.
//
//   node bench/peak-rss.js OUTFILE CMD [ARGS...]
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');

const [outFile, cmd, ...args] = process.argv.slice(2);
if (!outFile || !cmd) {
  process.stderr.write('usage: node bench/peak-rss.js OUTFILE CMD [ARGS...]\n');
  process.exit(2);
}

const peaks = new Map();
function hwm(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf-8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
function children(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf-8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
function poll(pid) {
  const v = hwm(pid);
  if (v > (peaks.get(pid) || 0)) peaks.set(pid, v);
  for (const c of children(pid)) poll(c);
}

const child = spawn(cmd, args, { stdio: 'inherit' });
const timer = setInterval(() => poll(child.pid), 5);
poll(child.pid);
child.on('exit', (code, signal) => {
  clearInterval(timer);
  const peak = Math.max(0, ...peaks.values());
  fs.writeFileSync(outFile, `${peak}\n`);
  process.exit(signal ? 128 : code ?? 1);
});
