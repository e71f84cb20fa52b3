// A fork child in Node: answers each message with {"echo": message}.
process.on('message', (message) => process.send({ echo: message }));
