// leaves.js: says goodbye, closes its end of the channel, and keeps running.
process.send('bye', () => {
  process.disconnect();
  console.log('channel closed');
});
setInterval(() => {}, 1000);
