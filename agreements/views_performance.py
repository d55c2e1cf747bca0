"""Placeholder until this module is written; every view answers 404."""

from django.http import Http404



def agreement_list(request, *args, **kwargs):
    raise Http404


def agreement_detail(request, *args, **kwargs):
    raise Http404


def agreement_edit(request, *args, **kwargs):
    raise Http404


def agreement_delete(request, *args, **kwargs):
    raise Http404


def agreement_sign(request, *args, **kwargs):
    raise Http404


def agreement_evaluate(request, *args, **kwargs):
    raise Http404


def agreement_pdf(request, *args, **kwargs):
    raise Http404


def indicator_add(request, *args, **kwargs):
    raise Http404


def indicator_import(request, *args, **kwargs):
    raise Http404


def indicator_export(request, *args, **kwargs):
    raise Http404


def indicator_edit(request, *args, **kwargs):
    raise Http404


def indicator_delete(request, *args, **kwargs):
    raise Http404


def progress_edit(request, *args, **kwargs):
    raise Http404


def evidence_download(request, *args, **kwargs):
    raise Http404
