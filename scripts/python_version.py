"""Stop early, with one clear line, when the machine's Python is older than .python-version.

Runs under whatever ``python3`` the machine has (even a very old one), so it uses nothing newer
than Python 3.0 syntax.
"""

import sys
from pathlib import Path

wanted_text = (Path(__file__).resolve().parent.parent / ".python-version").read_text().strip()
wanted = tuple(int(part) for part in wanted_text.split(".")[:2])
if sys.version_info[:2] < wanted:
    sys.stderr.write(
        "!! Voice needs Python %s or newer; %s is Python %d.%d. Install Python %s and run make again "
        "(or point make at it: make run PYTHON=/path/to/python%s).\n"
        % (wanted_text, sys.executable, sys.version_info[0], sys.version_info[1], wanted_text, wanted_text)
    )
    sys.exit(1)
