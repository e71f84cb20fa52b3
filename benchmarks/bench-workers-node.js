// bench-workers-node.js: the peer for the thread worker benchmarks: Node's worker_threads
//
// Starts one Worker (this same file, run as the worker) and waits for its
// {ready: true}: neither the thread's start nor V8's is timed. Then the clock
// starts:
//   to-worker N:   N worker.postMessage({seq: i}) calls in a loop; the worker
//                  counts its 'message' events and posts {count: N} at the
//                  Nth; the clock stops there;
//   from-worker N: the message 'go'; the worker calls
//                  parentPort.postMessage({seq: i}) N times; the main thread
//                  looks at every message's seq in its 'message' handler, and
//                  the clock stops at the Nth;
//   ping-pong N:   {seq: i} to the worker, which posts each message back, and
//                  the next one posted from the main thread's 'message'
//                  handler of its echo, N times.
// Messages are objects, as a Node program posts them: each is copied with
// the structured clone algorithm, and arrives as a 'message' event.
//
// Also measured over the same time: the CPU time of the whole process (both
// threads, from process.cpuUsage()).
//
// Usage: node bench-workers-node.js MODE N
// Prints key=value pairs: messages (round trips for ping-pong), seconds,
// messages_per_s or round_trips_per_s, cpu_s.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

if (!isMainThread) {
  const { mode, n } = workerData;

  if (mode === 'to-worker') {
    let count = 0;
    parentPort.on('message', () => {
      if (++count === n)
        parentPort.postMessage({ count });
    });
  } else if (mode === 'from-worker') {
    parentPort.once('message', () => {
      for (let i = 0; i < n; i++)
        parentPort.postMessage({ seq: i });
      parentPort.close();
    });
  } else {
    parentPort.on('message', (message) => {
      if (message === 'exit')
        parentPort.close();
      else
        parentPort.postMessage(message);
    });
  }
  parentPort.postMessage({ ready: true });
} else {
  const mode = process.argv[2];
  const n = Number(process.argv[3]);

  if (!['to-worker', 'from-worker', 'ping-pong'].includes(mode) || !(n > 0)) {
    console.error('usage: node bench-workers-node.js to-worker|from-worker|ping-pong N');
    process.exit(2);
  }

  const worker = new Worker(__filename, { workerData: { mode, n } });
  let ready = false;
  let received = 0;
  let bad = 0;
  let start = 0n;
  let cpu = null;
  const giveUp = setTimeout(() => {
    console.error('bench-workers-node: no answer in 120 s');
    process.exit(1);
  }, 120 * 1000);

  function finish() {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const usage = process.cpuUsage(cpu);
    const rate = mode === 'ping-pong' ? 'round_trips_per_s' : 'messages_per_s';

    if (bad > 0) {
      console.error(`bench-workers-node: ${bad} messages were not what the worker sent`);
      process.exit(1);
    }
    console.log(`messages=${n} seconds=${seconds.toFixed(3)} ${rate}=${(n / seconds).toFixed(1)} ` +
                `cpu_s=${((usage.user + usage.system) / 1e6).toFixed(3)}`);
    clearTimeout(giveUp);
    worker.removeAllListeners('message');
    worker.terminate();
  }

  worker.on('message', (message) => {
    if (!ready) {
      ready = true;
      cpu = process.cpuUsage();
      start = process.hrtime.bigint();
      if (mode === 'to-worker') {
        for (let i = 0; i < n; i++)
          worker.postMessage({ seq: i });
      } else if (mode === 'from-worker') {
        worker.postMessage('go');
      } else {
        worker.postMessage({ seq: 0 });
      }
      return;
    }
    if (mode === 'to-worker') {
      finish();
    } else if (mode === 'from-worker') {
      if (message.seq !== received)
        bad++;
      if (++received === n)
        finish();
    } else {
      if (message.seq !== received)
        bad++;
      if (++received === n)
        finish();
      else
        worker.postMessage({ seq: received });
    }
  });
}
