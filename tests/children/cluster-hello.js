// cluster-hello.js: the classic Node cluster program, unmodified in form: the
// primary forks workers, each worker serves HTTP on the port. Under Troupe,
// Troupe is the primary and this runs only as a worker.
const cluster = require('cluster');
const http = require('http');

const port = Number(process.env.PORT || 8000);

if (cluster.isPrimary) {
  for (let i = 0; i < 2; i++)
    cluster.fork();
} else {
  http.createServer((request, response) => {
    response.end(`hello from ${cluster.worker.id} (${process.pid})\n`);
  }).listen(port);
}
