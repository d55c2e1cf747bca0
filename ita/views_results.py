"""Placeholder until this module is written; every view answers 404."""

from django.http import Http404


def result_list(request, *args, **kwargs):
    raise Http404


def result_list_export(request, *args, **kwargs):
    raise Http404


def history(request, *args, **kwargs):
    raise Http404
