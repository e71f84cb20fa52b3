// internal.js: messages that Node keeps to itself, and ones it does not.
process.send({ cmd: 'NODE_TEST_INTERNAL', n: 1 });
process.send({ cmd: 'NODE_', n: 2 });
process.send({ cmd: 5, n: 3 });
process.send({ cmd: 'USER', n: 4 });
process.on('message', () => process.disconnect());
