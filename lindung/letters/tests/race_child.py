"""One side of the concurrent-batch test.

    python -m lindung.letters.tests.race_child PREFIX N GO


Waits until the file GO exists (so both sides start together), makes a batch of N teguran
letters against the database in DATABASE_URL, prints the numbers as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    prefix, count, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()
    import dataclasses

    from lindung.letters.services import generate_batch
    from lindung.letters.tests.helpers import SAMARINDA

    items = [
        dataclasses.replace(SAMARINDA, nama_perusahaan=f"{prefix} {i:03d}") for i in range(count)
    ]
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    batch = generate_batch(items, "teguran_1", None, workers=1)
    print(json.dumps(list(batch.letters.values_list("number", flat=True))))


if __name__ == "__main__":
    main()
