#!/usr/bin/env python3
"""命令行入口。用法：python build_stats.py check | build | site（详见 README）。"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fazhi.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
