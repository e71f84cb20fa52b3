// bench-memory-node.js: resident memory per line for Node keeping line offsets in an array
//
// The optional peer for the memory benchmark: scans N short lines (10 bytes
// each) in 64 KiB buffers with indexOf() and pushes each line's start offset
// onto a plain JS array, which is the least a Node program can keep to find a
// line again (Troupe's index also keeps each line's time and stream). Reports
// the growth of RssAnon in /proc/self/status, after a full GC when run with
// --expose-gc.
//
// Usage: node --expose-gc bench-memory-node.js [N_LINES]
// Prints key=value pairs: lines, rss_anon_bytes, bytes_per_line, seconds.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const fs = require('node:fs');

const LINE_BYTES = 10;
const LINES_PER_FEED = 6553;

function rssAnonBytes() {
  const match = /^RssAnon:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return Number(match[1]) * 1024;
}

function collect() {
  if (typeof global.gc === 'function')
    global.gc();
}

function main() {
  const nLines = Number(process.argv[2] || 10000000);
  const buffer = Buffer.alloc(LINES_PER_FEED * LINE_BYTES);
  for (let i = 0; i < LINES_PER_FEED; i++)
    buffer.write(String(i).padStart(LINE_BYTES - 1, '0') + '\n', i * LINE_BYTES, 'latin1');

  collect();
  const before = rssAnonBytes();
  const start = process.hrtime.bigint();

  const offsets = [];
  let base = 0;
  for (let remaining = nLines; remaining > 0;) {
    const batch = Math.min(remaining, LINES_PER_FEED);
    const length = batch * LINE_BYTES;
    let lineStart = 0;
    let at = buffer.indexOf(0x0a);
    while (at !== -1 && at < length) {
      offsets.push(base + lineStart);
      lineStart = at + 1;
      at = buffer.indexOf(0x0a, lineStart);
    }
    base += length;
    remaining -= batch;
  }

  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  collect();
  const after = rssAnonBytes();
  if (offsets.length !== nLines) {
    console.error(`kept ${offsets.length} offsets, expected ${nLines}`);
    process.exit(1);
  }
  const grown = after - before;
  console.log(`lines=${nLines} rss_anon_bytes=${grown} ` +
              `bytes_per_line=${(grown / nLines).toFixed(2)} seconds=${seconds.toFixed(3)}`);
}

main();
