"""The reset page: Django's own, with the reset emails limited (throttle.py)."""

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
