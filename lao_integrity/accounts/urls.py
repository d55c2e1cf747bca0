"""The password pages, under Django's own URL names (its views reverse them by these names)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import PasswordChangeForm, SetPasswordForm
from .views import PasswordResetConfirmView, PasswordResetView

urlpatterns = [
    path("password/change/", auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
         name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(
        form_class=SetPasswordForm), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
