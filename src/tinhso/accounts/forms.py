"""Citizen accounts: register with a phone number or an e-mail address, sign in with either."""

import secrets

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import User
from tinhso.core.validators import (
    normalise_id_number,
    normalise_phone,
    validate_personal_id,
    validate_phone,
)


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=15,
        required=False,
        validators=[validate_phone],
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
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not too common."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].help_text = _("Give a phone number, an e-mail address or both.")
        for name in ("phone", "email"):
            self.fields[name].hide_optional = True

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone and User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("An account with this phone number already exists."))
        return phone

    def clean_national_id(self):
        return normalise_id_number(self.cleaned_data["national_id"])

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self):
        data = super().clean()
        if not self.errors.get("phone") and not self.errors.get("email"):
            if not data.get("phone") and not data.get("email"):
                self.add_error("phone", _("Enter a phone number or an e-mail address."))
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
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

    def save(self) -> User:
        data = self.cleaned_data
        user = User(
            # The user name is internal: people sign in with their phone or e-mail.
            username=f"c-{secrets.token_hex(8)}",
            full_name=data["full_name"].strip(),
            phone=data["phone"],
            email=data["email"],
            national_id=data["national_id"],
        )
        user.set_password(data["password1"])
        user.full_clean(exclude=["password"])
        user.save()
        return user


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
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        login, password = data.get("login"), data.get("password")
        if login and password:
            self.user = authenticate(self.request, username=login.strip(), password=password)
            if self.user is None:
                raise forms.ValidationError(
                    _("The phone number, e-mail address or password is not correct."),
                    code="invalid_login",
                )
        return data
