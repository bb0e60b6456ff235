"""What the catalogue contributes to the default roles (``tinhso.org.roles`` collects it)."""

from tinhso.org import roles

ROLE_PERMISSIONS: dict[str, list[str]] = {
    roles.PROVINCE_ADMIN: [
        "catalog.add_procedure",
        "catalog.change_procedure",
        "catalog.view_procedure",
    ],
}
