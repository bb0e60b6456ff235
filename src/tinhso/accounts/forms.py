"""Citizen accounts: register with a phone number or an e-mail address, sign in with either,
set a new password with a code."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhso.accounts.lockout import (
    failures_left,
    failures_left_message,
    lockout_message,
    lockout_seconds,
)
from tinhso.accounts.models import User
from tinhso.accounts.selectors import email_canonical
from tinhso.core.validators import (
    normalise_id_number,
    normalise_phone,
    validate_mobile_phone,
    validate_personal_id,
)

PASSWORD_HELP = _("At least 8 characters, not only digits, not too common.")


def _new_password_field(label, *, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=help_text,
    )


def _passwords_match(form: forms.Form, data: dict) -> bool:
    """False (with the error on ``password2``) when the two typed passwords differ."""
    password1, password2 = data.get("password1"), data.get("password2")
    if password1 and password2 and password1 != password2:
        form.add_error("password2", _("The two passwords do not match."))
        return False
    return True


def _plain_email(address: str) -> str:
    """``address`` trimmed; refused when it holds characters that only look like others
    (fullwidth letters, ``ſ``, the Kelvin sign: NFKC changes them), which would otherwise name
    another person's address (``accounts.selectors.email_canonical``)."""
    address = address.strip()
    if address and not email_canonical(address):
        raise forms.ValidationError(
            _("Type the e-mail address with ordinary letters."), code="lookalike"
        )
    return address


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,  # typed in any notation: "(+84) 912-345-678"
        required=False,
        validators=[validate_mobile_phone],  # the code comes by text message
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    national_id = forms.CharField(
        label=_("Citizen identity number"),
        max_length=20,
        required=False,
        validators=[validate_personal_id],
        help_text=_("12 digits, as on your chip-based identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password1 = _new_password_field(_("Password"), help_text=PASSWORD_HELP)
    password2 = _new_password_field(_("Password again"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].help_text = _("Give a phone number, an e-mail address or both.")
        for name in ("phone", "email"):
            self.fields[name].hide_optional = True

    def clean_phone(self):
        # Any notation ("0900 000 001", "+84900000001") becomes the stored one. Whether an
        # account already has it is never said here (accounts.services.signup_start).
        return normalise_phone(self.cleaned_data["phone"])

    def clean_national_id(self):
        return normalise_id_number(self.cleaned_data["national_id"])

    def clean_email(self):
        return _plain_email(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        if not self.errors.get("phone") and not self.errors.get("email"):
            if not data.get("phone") and not data.get("email"):
                self.add_error("phone", _("Enter a phone number or an e-mail address."))
        password1 = data.get("password1")
        if _passwords_match(self, data) and password1:
            candidate = User(
                full_name=data.get("full_name", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(forms.Form):
    login = forms.CharField(
        label=_("Phone number or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        # Seconds until a lock on this account or connection ends (0: not locked).
        self.locked_seconds = 0
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        login, password = data.get("login"), data.get("password")
        if login and password:
            # The limiter (django-axes) runs inside authenticate(): a locked account or
            # connection is refused before the password is checked.
            self.user = authenticate(self.request, username=login.strip(), password=password)
            if self.user is None and getattr(self.request, "axes_locked_out", False):
                self.locked_seconds = lockout_seconds(self.request, login.strip())
                raise forms.ValidationError(lockout_message(self.locked_seconds), code="locked")
            if self.user is None:
                wrong = _("The phone number, e-mail address or password is not correct.")
                warning = failures_left_message(failures_left(self.request, login.strip()))
                raise forms.ValidationError(f"{wrong} {warning}".strip(), code="invalid_login")
        return data


def _code_field(*, help_text, max_length: int, **attrs) -> forms.CharField:
    """A one-time code field: numeric keyboard, offered by the phone from the message it got."""
    return forms.CharField(
        label=pgettext_lazy("one-time code", "Code"),
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
                **attrs,
            }
        ),
    )


class CodeForm(forms.Form):
    """A code we sent by SMS or e-mail (registration, password reset)."""

    code = _code_field(help_text=_("The 6 digits we sent you."), max_length=12, pattern="[0-9 ]*")


class AuthenticatorCodeForm(forms.Form):
    """The code of an officer's authenticator app, or one of their backup codes (letters too)."""

    code = _code_field(
        help_text=_("The six digits your authenticator app shows now."), max_length=20
    )


class PasswordResetRequestForm(forms.Form):
    login = forms.CharField(
        label=_("Phone number or e-mail address"),
        max_length=254,
        help_text=_("The one your account uses: we send a code to it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_login(self):
        login = self.cleaned_data["login"].strip()
        if "@" in login:
            forms.EmailField().clean(login)
            return _plain_email(login)
        validate_mobile_phone(login)  # the code comes by text message
        return normalise_phone(login)


class PasswordResetForm(CodeForm):
    password1 = _new_password_field(_("New password"), help_text=PASSWORD_HELP)
    password2 = _new_password_field(_("New password again"))

    def clean(self):
        data = super().clean()
        _passwords_match(self, data)
        return data


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves without a code: the name they are called by.
    The phone and e-mail address sign them in, so changing one needs a code sent to the new
    one: not offered yet (the helpdesk changes them)."""

    class Meta:
        model = User
        fields = ["full_name"]
        labels = {"full_name": _("Full name")}

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Type your full name."), code="required")
        return name


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the current password checked through ``authenticate()``: a wrong
    one counts toward the same limit as a wrong sign-in (django-axes), so a borrowed session
    cannot be used to guess the password without limit."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old)
        if checked is None and getattr(self.request, "axes_locked_out", False):
            seconds = lockout_seconds(self.request, self.user.get_username())
            raise forms.ValidationError(lockout_message(seconds), code="locked")
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                _("Your current password is not correct."), code="password_incorrect"
            )
        return old
