// hello.js: the classic child_process.fork() child, as Node's documentation has it
process.on('message', (message) => {
  if (message === 'Hello')
    process.send('Hello to you too :)');
});
