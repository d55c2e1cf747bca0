"""Placeholder until this module is written; every view answers 404."""

from django.http import Http404



def org_agreement_list(request, *args, **kwargs):
    raise Http404


def org_agreement_detail(request, *args, **kwargs):
    raise Http404


def org_agreement_copy(request, *args, **kwargs):
    raise Http404


def topic_add(request, *args, **kwargs):
    raise Http404


def topic_edit(request, *args, **kwargs):
    raise Http404


def topic_delete(request, *args, **kwargs):
    raise Http404


def topic_move(request, *args, **kwargs):
    raise Http404
