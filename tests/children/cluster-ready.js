// cluster-ready.js: a cluster member that serves nothing: it says "ready" on
// its channel, and prints what it is sent. (With NODE_UNIQUE_ID set, Node still
// makes it a cluster worker, which goes when asked to disconnect.)
process.on('message', (message) => console.log('got ' + JSON.stringify(message)));
process.send('ready');
