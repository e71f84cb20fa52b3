// bench-ingest-node.js: output ingest through Node's child_process.spawn(), the peer to beat
//
// Spawns the generator and counts bytes and lines in its stdout 'data' events,
// with a Buffer.indexOf() loop (native memchr), keeping nothing: the least work
// Node can honestly do for "read a child's output by line". The clock stops at
// 'close', when the child has exited and its stdout has ended.
//
// Usage: node bench-ingest-node.js GENERATOR N_LINES
// Prints key=value pairs: bytes, lines, seconds, mb_per_s.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const { spawn } = require('node:child_process');

const LINE_BYTES = 80;
const NEWLINE = 0x0a;

function main() {
  const [generator, linesArg] = process.argv.slice(2);
  if (!generator || !linesArg) {
    console.error('usage: node bench-ingest-node.js GENERATOR N_LINES');
    process.exit(2);
  }
  const expectedLines = Number(linesArg);
  let bytes = 0;
  let lines = 0;

  const start = process.hrtime.bigint();
  const child = spawn(generator, [linesArg], { stdio: ['ignore', 'pipe', 'inherit'] });

  child.stdout.on('data', (chunk) => {
    bytes += chunk.length;
    let at = chunk.indexOf(NEWLINE);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(NEWLINE, at + 1);
    }
  });

  child.on('close', (code, signal) => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (code !== 0) {
      console.error(`generator did not exit cleanly: code ${code}, signal ${signal}`);
      process.exit(1);
    }
    if (lines !== expectedLines || bytes !== expectedLines * LINE_BYTES) {
      console.error(`wrong count: ${bytes} bytes, ${lines} lines; expected ${expectedLines} lines`);
      process.exit(1);
    }
    console.log(`bytes=${bytes} lines=${lines} seconds=${seconds.toFixed(4)} ` +
                `mb_per_s=${(bytes / seconds / 1e6).toFixed(1)}`);
  });
}

main();
