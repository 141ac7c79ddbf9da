"""Run every benchmark module in this folder and print its figures."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path


def main() -> int:
    args = sys.argv[1:]
    if "--quick" in args:  # fewer rounds and rows, for a first look
        args.remove("--quick")
        os.environ["AID_BENCH_QUICK"] = "1"
    only = set(args)
    folder = Path(__file__).parent
    for module_info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if module_info.name.startswith("_") or (only and module_info.name not in only):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        if not hasattr(module, "run"):
            continue
        started = time.perf_counter()
        print(f"== {module_info.name}", flush=True)
        for line in module.run():
            print(f"   {line}", flush=True)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
