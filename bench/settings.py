"""Settings of the benchmark server: the product's, plus the baseline views at /bench/.

    DJANGO_SETTINGS_MODULE=bench.settings  (with the repository root on the Python path)

bench/load.py starts granian and the task worker with it. The baselines check nothing: serve
them only on a benchmark database, never in production.
"""

from tinhso.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
