"""Placeholder until this module is written; every view answers 404."""

from django.http import Http404


def measure_list(request, *args, **kwargs):
    raise Http404


def measure_add(request, *args, **kwargs):
    raise Http404


def measure_edit(request, *args, **kwargs):
    raise Http404


def measure_delete(request, *args, **kwargs):
    raise Http404


def measure_progress(request, *args, **kwargs):
    raise Http404


def measure_evidence(request, *args, **kwargs):
    raise Http404
