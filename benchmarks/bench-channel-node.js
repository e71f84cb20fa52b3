// bench-channel-node.js: the peer for the channel benchmarks: a Node parent with fork()
//
// Forks CHILD_SCRIPT MODE N (bench-channel-child.js) with Node's
// child_process.fork() and its default json serialization, waits for the
// child's {"ready":true}, then starts the clock:
//   to-child N:   sends N messages in a loop; stops at the child's {"count":N};
//   from-child N: sends one message to start the child; stops at the Nth message back;
//   ping-pong N:  sends a message, waits for it to come back, N times.
// The message is {"n":12345,"text":"hello"}, given to send() as an object, as
// a Node program would. The child's start and end are not timed.
//
// Also measured over the same time: the CPU time this process used (all its
// threads, from process.cpuUsage()) and the CPU time the child used (from
// /proc/PID/stat, in clock ticks of 10 ms), to show which side is busy.
//
// Usage: node bench-channel-node.js MODE N CHILD_SCRIPT
// Prints key=value pairs: messages (round trips for ping-pong), seconds,
// messages_per_s or round_trips_per_s, parent_cpu_s, child_cpu_s.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const { fork } = require('node:child_process');
const { readFileSync } = require('node:fs');

const mode = process.argv[2];
const n = Number(process.argv[3]);
const script = process.argv[4];
const message = { n: 12345, text: 'hello' };

if (!['to-child', 'from-child', 'ping-pong'].includes(mode) || !(n > 0) || !script) {
  console.error('usage: node bench-channel-node.js to-child|from-child|ping-pong N CHILD_SCRIPT');
  process.exit(2);
}

const child = fork(script, [mode, String(n)]);
const ticksPerSecond = 100;   // USER_HZ: what /proc counts in on Linux
let start = 0n;
let parentCpu = null;
let childCpu = 0;
let received = 0;

// User and system time of the running child, in seconds.
function childCpuSeconds() {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function finish() {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = (n / seconds).toFixed(1);
  const parentUsage = process.cpuUsage(parentCpu);
  const parentSeconds = (parentUsage.user + parentUsage.system) / 1e6;
  const childSeconds = childCpuSeconds() - childCpu;
  const cpu = `parent_cpu_s=${parentSeconds.toFixed(3)} child_cpu_s=${childSeconds.toFixed(2)}`;

  child.removeAllListeners('message');
  child.disconnect();
  if (mode === 'ping-pong')
    console.log(`round_trips=${n} seconds=${seconds.toFixed(4)} round_trips_per_s=${rate} ${cpu}`);
  else
    console.log(`messages=${n} seconds=${seconds.toFixed(4)} messages_per_s=${rate} ${cpu}`);
}

function onReady() {
  parentCpu = process.cpuUsage();
  childCpu = childCpuSeconds();
  start = process.hrtime.bigint();
  if (mode === 'to-child') {
    child.on('message', (reply) => {
      if (reply.count !== n)
        fail(`the child counted ${JSON.stringify(reply)}, not ${n}`);
      finish();
    });
    for (let i = 0; i < n; i++)
      child.send(message);
  } else if (mode === 'from-child') {
    child.on('message', () => {
      if (++received === n)
        finish();
    });
    child.send(message);
  } else {
    child.on('message', () => {
      if (++received === n)
        finish();
      else
        child.send(message);
    });
    child.send(message);
  }
}

function fail(text) {
  console.error(`bench-channel-node.js: ${text}`);
  child.kill();
  process.exit(1);
}

// A child that stops answering fails the benchmark instead of hanging the suite.
setTimeout(() => fail('no answer in 120 s'), 120000).unref();

child.once('message', (first) => {
  if (first.ready !== true)
    fail(`the child said ${JSON.stringify(first)} first`);
  onReady();
});
child.on('exit', (code, signal) => {
  if (code !== 0)
    fail(`the child ended with ${code ?? signal}`);
});
