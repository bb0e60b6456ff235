"""What org contributes to the default roles (``tinhso.org.roles`` collects it)."""

from tinhso.org import roles

ROLE_PERMISSIONS: dict[str, list[str]] = {
    roles.PROVINCE_ADMIN: ["org.view_agency", "org.change_agency"],
}
