"""Django's password forms with the portal's Thai wording (Django's catalogue asks to repeat the
"old" password on the confirmation field)."""

from django.contrib.auth import forms as auth_forms

CONFIRM_HELP = "กรอกรหัสผ่านใหม่อีกครั้งเพื่อยืนยัน"


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = CONFIRM_HELP


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "รหัสผ่านปัจจุบันไม่ถูกต้อง โปรดกรอกอีกครั้ง",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "รหัสผ่านปัจจุบัน"
        self.fields["new_password2"].help_text = CONFIRM_HELP


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "อีเมลที่ผูกกับบัญชีของท่าน"
