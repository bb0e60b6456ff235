"""What dossiers contribute to the default roles (``tinhso.org.roles`` collects it)."""

from tinhso.org import roles

_OFFICE = ["dossiers.view_dossier"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    roles.ONE_STOP_CLERK: _OFFICE
    + ["dossiers.receive_dossier", "dossiers.process_dossier", "dossiers.return_result"],
    roles.SPECIALIST: _OFFICE + ["dossiers.process_dossier"],
    roles.DEPARTMENT_HEAD: _OFFICE
    + ["dossiers.process_dossier", "dossiers.assign_dossier", "dossiers.view_statistics"],
    roles.AGENCY_LEADER: _OFFICE
    + [
        "dossiers.process_dossier",
        "dossiers.approve_dossier",
        "dossiers.assign_dossier",
        "dossiers.stop_dossier",
        "dossiers.view_statistics",
    ],
    roles.DOCUMENT_CLERK: _OFFICE + ["dossiers.process_dossier", "dossiers.return_result"],
    roles.PROVINCE_ADMIN: _OFFICE
    + [
        "dossiers.receive_dossier",
        "dossiers.process_dossier",
        "dossiers.approve_dossier",
        "dossiers.assign_dossier",
        "dossiers.stop_dossier",
        "dossiers.return_result",
        "dossiers.view_statistics",
        "dossiers.view_all_agencies",
    ],
}
