// bench-spawn-node.js: starting short-lived children one after another with Node's spawn()
//
// Runs /bin/true N times with child_process.spawn(), default stdio (three pipes,
// as Troupe makes), waiting for each child before starting the next. The wait
// is for EVENT: 'close' (exited and its pipes ended, which is what Troupe's
// "ended" means) by default, or 'exit' (exited only).
//
// Usage: node bench-spawn-node.js [N] [close|exit] [PROGRAM]
// Prints key=value pairs: spawns, seconds, spawns_per_s.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const { spawn } = require('node:child_process');

function runOnce(program, event) {
  return new Promise((resolve, reject) => {
    const child = spawn(program);
    child.on('error', reject);
    child.on(event, (code) => {
      if (code !== 0)
        reject(new Error(`${program} exited with ${code}`));
      else
        resolve();
    });
  });
}

async function main() {
  const n = Number(process.argv[2] || 2000);
  const event = process.argv[3] || 'close';
  const program = process.argv[4] || '/bin/true';

  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++)
    await runOnce(program, event);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  console.log(`spawns=${n} seconds=${seconds.toFixed(4)} spawns_per_s=${(n / seconds).toFixed(1)}`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
