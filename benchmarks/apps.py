import os

from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """National-scale synthetic data and the benchmark runner. Nothing depends on this app."""

    name = "benchmarks"
    verbose_name = "ชุดทดสอบสมรรถนะ"

    def ready(self):
        # The bench's statement figures (benchmarks/sqlstats.py): only in a server the bench started so.
        directory = os.environ.get("BENCH_SQL_STATS", "").strip()
        if directory:
            from .sqlstats import install

            install(directory)
