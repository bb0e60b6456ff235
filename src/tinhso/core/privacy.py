"""Masking addresses: the delivery log, the admin, log lines and pages show ``09******78`` and
``n***@gmail.com``, never a whole phone number or e-mail address."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """``0912345678`` → ``09******78``; short or empty values are masked whole."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if len(digits) < 6:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def mask_email(email: str) -> str:
    """``nguyen.an@gmail.com`` → ``n***@gmail.com``."""
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_address(address: str) -> str:
    return mask_email(address) if "@" in address else mask_phone(address)


def redact(text: str, *addresses: str) -> str:
    """``text`` with every given address replaced by its mask (errors from outside parties may
    echo the number they were given)."""
    for address in addresses:
        if address:
            text = text.replace(address, mask_address(address))
    return text
