"""Placeholder until this module is written; every view answers 404."""

from django.http import Http404


def analysis(request, *args, **kwargs):
    raise Http404


def analysis_pdf(request, *args, **kwargs):
    raise Http404


def guidance_edit(request, *args, **kwargs):
    raise Http404
