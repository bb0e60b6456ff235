"""The demo tests seed from a slice of the real national catalogue (the whole file is imported
once per database by ``catalog/tests/test_national.py``): a few procedures of every demo
department, commune procedures and land procedures (the financial obligations)."""

import gzip
import json

import pytest
from django.conf import settings

from tinhso.catalog.national import agency_key, national_records_read, processing_days
from tinhso.core.text import fold
from tinhso.demo.procedures import NATIONAL_AGENCIES

PER_AGENCY = 6
COMMUNE = 16
LAND = 4


def catalogue_slice(records: list[dict]) -> list[dict]:
    keys = {agency_key(name): key for key, names in NATIONAL_AGENCIES.items() for name in names}
    taken: dict[str, list[dict]] = {}
    for record in records:
        levels = {fold(x["TENCAPTHUCHIEN"]) for x in record["CAPTHUCHIEN"]}
        if processing_days(record) is None:
            continue
        owners = [keys.get(agency_key(a["TENDONVI"])) for a in record["COQUANTHUCHIEN"]]
        owner = next((o for o in owners if o), None)
        land = fold(record["LINHVUCTHUCHIEN"][0]["TENLINHVUC"]) == "dat dai"
        if land and owner and "cap tinh" in levels:
            bucket, limit = "land", LAND
        elif "cap xa" in levels:
            bucket, limit = "commune", COMMUNE
        elif owner and "cap tinh" in levels:
            bucket, limit = owner, PER_AGENCY
        else:
            continue
        if len(taken.setdefault(bucket, [])) < limit:
            taken[bucket].append(record)
    return sorted((r for group in taken.values() for r in group), key=lambda r: r["MATTHC"])


@pytest.fixture(scope="session")
def catalogue_slice_file(tmp_path_factory):
    records = national_records_read(settings.NATIONAL_CATALOGUE_FILE.read_bytes())
    path = tmp_path_factory.mktemp("catalogue") / "national-slice.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"result": catalogue_slice(records)}).encode()))
    return path


@pytest.fixture(autouse=True)
def _demo_catalogue(settings, catalogue_slice_file):
    settings.NATIONAL_CATALOGUE_FILE = catalogue_slice_file
