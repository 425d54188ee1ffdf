'use strict';
// Per-script timing of libflux through the shared oracle's module, all in one Node process.
//   node libflux_timer.js ORACLE_DIR MODE IN.jsonl [WARM.jsonl|-] [PASSES]
// MODE parse:   lib.parse() + the oracle's port of ast::check (what `oracle.js --parse-only` does)
//      parser:  `new Flux(text)` then `.free()`: libflux's parser alone, in the WASM (no AST handed to JS)
//      core:    `is_valid_flux(text)`: parse + semantic analysis + type inference, no language server
//               (the honest "what libflux itself costs" baseline; it answers false for scripts using
//               the undefined `params`, after doing the whole analysis)
//      analyze: parse + LSP didOpen + diagnostics + one hover on `params` (the whole inferred record;
//               what `oracle.js --jsonl --no-per-site` does, minus its worker-thread hop)
// Startup is excluded: node + WASM compile + LSP initialize happen before the clock starts, and the
// scripts of WARM.jsonl (different scripts of the same kind) are run untimed first so the JIT is warm.
// Each script of IN.jsonl is then timed with process.hrtime, once per pass (pass k > 0 adds a comment line
// `// pass k`); its time is the best pass, which filters out load spikes from other processes.
// Prints one JSON line: {startup_ms, warmup_ms, times_ms: [...], cpu_ms: [...], ok: [...]} (best pass each).
const t0 = process.hrtime.bigint();
const path = require('path');
const fs = require('fs');
const [dir, mode, input, warmArg, passesArg] = process.argv.slice(2);
const warm = warmArg && warmArg !== '-' ? warmArg : null;
const passes = Math.max(1, Number(passesArg || 1));
const oracle = require(path.resolve(dir, 'oracle.js'));
const ms = (a, b) => Number(b - a) / 1e6;
const read = (f) => fs.readFileSync(f, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l).script);

async function main() {
  const scripts = read(input);
  const o = new oracle.Oracle();
  const opts = mode === 'parse' ? { parseOnly: true } : { perSite: false };
  if (mode === 'analyze') await o.getClient();
  const lib = oracle.lib;
  // parser / core call the WASM exports directly, synchronously (no promise, no JSON-RPC)
  const direct = {
    parser: (text) => { const f = new lib.Flux(text); f.free(); return { parse_ok: true }; },
    core: (text) => { lib.is_valid_flux(text); return { parse_ok: true }; },
  }[mode];
  const t1 = process.hrtime.bigint();
  for (const s of warm ? read(warm) : []) { if (direct) direct(s); else await o.analyze(s, opts); }
  const t2 = process.hrtime.bigint();
  const times = scripts.map(() => Infinity), cpu = scripts.map(() => Infinity), ok = [];
  for (let k = 0; k < passes; k++) {
    for (let i = 0; i < scripts.length; i++) {
      // pass k > 0 appends a comment line: a different text, the same work (no cache can answer it)
      const text = k === 0 ? scripts[i] : scripts[i] + `// pass ${k}\n`;
      const c = process.cpuUsage();
      const a = process.hrtime.bigint();
      const r = direct ? direct(text) : await o.analyze(text, opts);
      const d = ms(a, process.hrtime.bigint());
      const u = process.cpuUsage(c);  // every thread of the process: V8's GC and compiler helpers too
      if (d < times[i]) times[i] = d;
      if ((u.user + u.system) / 1000 < cpu[i]) cpu[i] = (u.user + u.system) / 1000;
      if (k === 0) ok.push(r.parse_ok === true && !(r.raw && r.raw.libflux_crash));
    }
  }
  process.stdout.write(JSON.stringify({ startup_ms: ms(t0, t1), warmup_ms: ms(t1, t2), times_ms: times, cpu_ms: cpu, ok }) + '\n');
}
main().then(() => process.exit(0), (e) => { console.error(e && e.stack || e); process.exit(2); });
