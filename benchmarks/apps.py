from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """National-scale synthetic data and the benchmark runner. Nothing depends on this app."""

    name = "benchmarks"
    verbose_name = "ชุดทดสอบสมรรถนะ"
