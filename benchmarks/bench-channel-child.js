// bench-channel-child.js: the Node fork child for the channel benchmarks, the same for every parent
//
// Started by a parent as a fork child (NODE_CHANNEL_FD, json serialization),
// by Node's fork() or by Troupe. It says {"ready":true} as soon as it runs, so
// that the parent can start its clock after Node's own start-up, then:
//   to-child N:   counts the messages it is sent; at the Nth it answers {"count":N};
//   from-child N: at the first message, sends N messages as fast as it can;
//   ping-pong:    sends every message back as it came.
// The message sent is always {"n":12345,"text":"hello"}. It ends when the
// parent closes the channel.
//
// Usage: (as a fork child) bench-channel-child.js MODE [N]
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const mode = process.argv[2];
const n = Number(process.argv[3] || 0);
const message = { n: 12345, text: 'hello' };

if (typeof process.send !== 'function') {
  console.error('bench-channel-child.js: not started as a fork child');
  process.exit(2);
}

if (mode === 'to-child') {
  let count = 0;
  process.on('message', () => {
    if (++count === n)
      process.send({ count });
  });
} else if (mode === 'from-child') {
  // A plain loop: each send() is one write of its own, or queued as one.
  // The listener stays: it is what keeps the channel, and so the child, alive.
  let started = false;
  process.on('message', () => {
    if (started)
      return;
    started = true;
    for (let i = 0; i < n; i++)
      process.send(message);
  });
} else if (mode === 'ping-pong') {
  process.on('message', (received) => process.send(received));
} else {
  console.error(`bench-channel-child.js: unknown mode ${mode}`);
  process.exit(2);
}
process.send({ ready: true });
