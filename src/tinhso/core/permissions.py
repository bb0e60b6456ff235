"""What core contributes to the default roles (``tinhso.org.roles`` collects it).

``core`` sits below ``org``, so it names the role by its stored group name rather than importing
org's constant; ``org.roles`` refuses a name it does not know.
"""

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # The province's own working calendar (days off, make-up working days).
    "province_admin": [
        "core.add_calendarday",
        "core.change_calendarday",
        "core.delete_calendarday",
        "core.view_calendarday",
        # The Government's announced schedule, kept up to date by the province's operator.
        "core.add_announcedyear",
        "core.change_announcedyear",
        "core.delete_announcedyear",
        "core.view_announcedyear",
        "core.add_announcedday",
        "core.change_announcedday",
        "core.delete_announcedday",
        "core.view_announcedday",
    ],
}
