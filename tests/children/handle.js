// handle.js: sends a listening server as a handle, as cluster code does. Node
// holds every later message until the parent acknowledges the handle, so
// "after" arrives only if it did.
const net = require('net');

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  process.send({ server: server.address().port }, server, () => {
    process.send('after');
    server.close();
  });
});
process.on('message', () => {});
