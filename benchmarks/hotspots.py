#!/usr/bin/env python3
"""Profiles of fluxparams on the benchmark corpus (for finding hot spots, not for quoting).

    .venv/bin/python benchmarks/hotspots.py WHAT [--top 30]

    parse     cProfile of parse() over the corpus
    analyze   cProfile of analyze()
    build     cProfile of building the parser in a fresh process
    imports   -X importtime of `import fluxparams` + first analyze
    scaling   cProfile of analyze on the 100x script

With pyinstrument importable (e.g. a scratch venv), ``--pyinstrument`` prints its call tree instead.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
if (REPO / "src" / "fluxparams").is_dir():
    sys.path.insert(0, str(REPO / "src"))

import corpus  # noqa: E402


def workload(kind: str):
    import fluxparams
    if kind == "scaling":
        scripts = [corpus.scaled(100)]
        fn = fluxparams.analyze
    else:
        scripts = corpus.generate("small", 60) + corpus.generate("medium", 30) + corpus.generate("large", 8)
        fn = getattr(fluxparams, kind)
    fn(corpus.generate("medium", 1, seed=1)[0])  # build the parser outside the profile

    def run():
        for s in scripts:
            fn(s)
    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["parse", "analyze", "build", "imports", "scaling"])
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--sort", default="tottime")
    ap.add_argument("--pyinstrument", action="store_true")
    a = ap.parse_args()
    if a.what == "imports":
        code = (f"import sys; sys.path[:0]=[{str(REPO / 'src')!r}, {str(HERE)!r}]; "
                "import corpus, fluxparams; fluxparams.analyze(corpus.generate('small', 1)[0])")
        # with bytecode (as installed), in a private prefix, after one run that writes it
        import os
        import tempfile
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "fluxparams-hotspots-pyc")
        cmd = [sys.executable, "-X", "importtime", "-c", code]
        subprocess.run(cmd, capture_output=True, env=env)
        err = subprocess.run(cmd, capture_output=True, text=True, env=env).stderr
        rows = []
        for line in err.splitlines():
            if line.startswith("import time:") and "|" in line:
                parts = line[len("import time:"):].split("|")
                try:
                    rows.append((int(parts[1]), int(parts[0]), parts[2].rstrip()))
                except ValueError:
                    pass
        rows.sort(reverse=True)
        print("cumulative_us  self_us  module")
        for cum, self_, name in rows[:a.top]:
            print(f"{cum:12d} {self_:8d}  {name}")
        return
    if a.what == "build":
        import fluxparams  # noqa: F401
        from fluxparams import syntax
        builders = [getattr(syntax, n) for n in dir(syntax)
                    if "parser" in n.lower() and callable(getattr(syntax, n))]
        target = lambda: fluxparams.parse("x = 1\n")  # noqa: E731
        print("builders seen in syntax.py:", [b.__name__ for b in builders], file=sys.stderr)
    else:
        target = workload(a.what)
    if a.pyinstrument:
        from pyinstrument import Profiler
        p = Profiler(interval=0.0005)
        p.start()
        target()
        p.stop()
        print(p.output_text(unicode=True, color=False, show_all=False))
        return
    prof = cProfile.Profile()
    prof.enable()
    target()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats(a.sort).print_stats(a.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
