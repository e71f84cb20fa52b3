// bench-cluster-hello.js: HTTP hello world as a Node cluster program, for the cluster benchmark
//
// The classic form, used both ways without a change:
//   - run directly with node, it is Node's own primary: it forks 2 workers and
//     shares the port with them by Node's default scheduling (round robin on
//     Linux: the primary accepts every connection and passes it to a worker);
//   - run as a member of `troupe cluster`, it is a worker: Troupe is the primary
//     and hands it the one listening socket that every member accepts on.
// Each worker answers every request with the same 12-byte body, and prints
// "listening" once its server is up, so that the caller can wait for both.
// SIGTERM to Node's primary disconnects the workers; once they have exited the
// primary exits too: nothing is left behind.
//
// Usage: bench-cluster-hello.js [PORT]   (default: $PORT, as Troupe sets it; else 8000)
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const cluster = require('cluster');
const http = require('http');

const port = Number(process.argv[2] || process.env.PORT || 8000);
const workers = 2;

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++)
    cluster.fork();
  // Disconnected, each worker closes its server and exits; the primary then has
  // nothing left to wait for and exits too, after reaping them.
  process.on('SIGTERM', () => cluster.disconnect());
} else {
  const body = 'hello world\n';

  http.createServer((request, response) => {
    response.end(body);
  }).listen(port, '127.0.0.1', () => {
    console.log(`listening ${process.pid}`);
  });
}
