// echo.js: sends every message back as it came; says so on stdout when the
// channel closes, and then ends, as a plain fork child does.
process.on('message', (message) => process.send(message));
process.on('disconnect', () => console.log('disconnected'));
