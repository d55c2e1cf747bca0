"""The reset pages: Django's own, with the reset emails limited (throttle.py) and the login lock
lifted by a reset."""

from axes.utils import reset as reset_login_attempts
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from . import throttle
from .forms import PasswordResetForm


class PasswordResetView(auth_views.PasswordResetView):
    """Over a limit no email is sent, and the answer is the one every address gets."""

    form_class = PasswordResetForm
    html_email_template_name = None

    def form_valid(self, form):
        if not throttle.allow_reset(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A password set through the emailed link lifts django-axes' lock on that name: whoever holds the
    mailbox is the owner, and the lock is there against guessing a password that no longer works."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_attempts(username=form.user.get_username())
        return response
