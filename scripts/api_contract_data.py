"""The seeded ids schemathesis draws on (scripts/api-contract.sh), as its dictionaries.

Run with the site's environment (DATABASE_URL, TINHSO_VAR_DIR) after ``seed_demo``:
``python scripts/api_contract_data.py CONFIG``. Appends to the schemathesis configuration CONFIG
(a copy of scripts/api-contract.toml, whose operations bind these names) one dictionary each:

- ``dossier_codes``: the demo citizen's dossiers (in several states) and others of the demo
  province, most of which the citizen may not see (the API must answer 404 for those);
- ``procedure_codes``, ``field_ids``, ``agency_ids``: the published catalogue.
"""

import json
import os
import sys
from pathlib import Path

import django


def main(config: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
    django.setup()
    from tinhso.catalog.models import Procedure
    from tinhso.catalog.selectors import PUBLISHED, agency_list, field_list
    from tinhso.demo.people import CITIZEN
    from tinhso.dossiers.models import Dossier

    dossiers = Dossier.objects.order_by("pk")
    mine = list(dossiers.filter(applicant__username=CITIZEN[0]).values_list("code", flat=True))
    others = list(dossiers.exclude(applicant__username=CITIZEN[0]).values_list("code", flat=True))
    statuses = set(dossiers.filter(code__in=mine).values_list("status", flat=True))
    if len(mine) < 3 or len(statuses) < 2:
        sys.exit(f"The seed gave the demo citizen {len(mine)} dossiers in {len(statuses)} states.")
    dictionaries = {
        "dossier_codes": mine + others[:: max(1, len(others) // 12)],
        "procedure_codes": list(
            Procedure.objects.filter(PUBLISHED).order_by("code").values_list("code", flat=True)
        ),
        "field_ids": list(field_list().order_by("pk").values_list("pk", flat=True)),
        "agency_ids": list(agency_list().order_by("pk").values_list("pk", flat=True)),
    }
    with config.open("a") as out:
        for name, values in dictionaries.items():
            # A JSON array of strings or integers is a TOML array too.
            out.write(f"\n[dictionaries.{name}]\nvalues = {json.dumps(values)}\n")
    print(
        f"Seeded for the contract: {len(mine)} dossiers of the citizen in states "
        f"{sorted(statuses)}, {len(dictionaries['dossier_codes'])} codes in all, "
        f"{len(dictionaries['procedure_codes'])} procedures."
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
