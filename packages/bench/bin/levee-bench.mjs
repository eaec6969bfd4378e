#!/usr/bin/env node
// levee-bench: runs the compiled CLI in ../dist (build with `npm run build -w @leveejs/bench`).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist')) {
    process.stderr.write(
      'levee-bench: the benchmark is not built; run `npm run build -w @leveejs/bench` first.\n',
    );
    process.exit(1);
  }
  throw err;
}
process.exitCode = await cli.main(process.argv.slice(2));
