"""Open311 GeoReport v2 driven by two existing clients from PyPI (issue 11,
acceptance 4): `georeport` (0.3, JSON and XML; it has no POST) and `open311`
(1.1, a Python 2-era client: its implicit relative imports are shimmed
below, its XML parser calls Element.getchildren(), gone since Python 3.9,
so it runs in JSON; its POST passes a str body, which Python 3's urlopen
refuses, so the body is encoded on the way). Answers are compared with the
field lists of the GeoReport v2 spec's examples
(http://wiki.open311.org/GeoReport_v2). A private appeal never appears.

The administrator issues the partner key in the console, in Chromium, as a
person would.
"""
import importlib.util
import os
import sys
import types
import urllib.error
import urllib.request

from georeport import GeoReport

# The spec's examples, field by field. (address_id, zipcode and media_url
# are optional there; Dauys keeps no address ids or zip codes, and photos
# stay with the app.)
SPEC_SERVICE = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
SPEC_DEFINITION = {"service_code", "attributes"}
SPEC_ATTRIBUTE = {"variable", "code", "datatype", "required", "datatype_description", "order", "description"}
SPEC_REQUEST = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                "expected_datetime", "address", "lat", "long"}
SPEC_CREATED = {"service_request_id", "service_notice", "account_id"}


def load_open311():
    """PyPI's `open311` 1.1 under Python 3 (see the module's docstring)."""
    spec = importlib.util.find_spec("open311")
    root = list(spec.submodule_search_locations)[0]
    api_dir = os.path.join(root, "api")
    sys.path.insert(0, os.path.join(api_dir, "xml2dict"))
    sys.path.insert(0, api_dir)
    api_spec = importlib.util.spec_from_file_location("api.api", os.path.join(api_dir, "api.py"))
    api_mod = importlib.util.module_from_spec(api_spec)
    pkg = types.ModuleType("api")
    pkg.__path__ = [api_dir]
    sys.modules["api"], sys.modules["api.api"] = pkg, api_mod
    api_spec.loader.exec_module(api_mod)
    pkg.API, pkg.api = api_mod.API, api_mod
    client_spec = importlib.util.spec_from_file_location("open311_client", os.path.join(root, "open311.py"))
    client = importlib.util.module_from_spec(client_spec)
    client_spec.loader.exec_module(client)

    def urlopen(url, data=None):
        return urllib.request.urlopen(url, data.encode() if isinstance(data, str) else data, timeout=10)
    client.urlopen = urlopen
    api_mod.urlopen = urlopen
    return client.Open311


def has(obj, fields, what, check):
    missing = fields - set(obj)
    check(not missing, f"{what} lacks the spec's {sorted(missing)}: {obj}")


def one(x):
    """xmltodict gives a dict for one element, a list for several."""
    return x if isinstance(x, list) else [x]


def run(demo, browser, check):
    # A resident (signed in through the API, as a partner app would sign
    # them in) files a public and a private appeal through the partner
    # app; the city official registers and answers the public one.
    resident = demo.token("resident")
    official = demo.token("official, Pavlodar")

    # The administrator issues a key in the console.
    b = browser(demo, "open311-admin")
    try:
        b.sign_in("administrator", "en")
        b.go("/console/admin/partners")
        b.submit('form[action="/console/admin/partners"]', {"label": "Qala app"})
        key = b.find("#new-key").text.strip()
        check(key.startswith("dauys_pk_"), f"no key shown: {b.text()[:300]}")
        b.shot("partners")
        b.axe("partners")
    finally:
        b.quit()

    Open311 = load_open311()
    endpoint = demo.url + "/open311/v2"
    poster = Open311(endpoint=endpoint, format="json", api_key=key)
    ids = {}
    for public in (True, False):
        r = poster.post_service_request(**{
            "service_code": "pvl-akimat.complaint",
            "description": "The roof of the bus stop on Toraigyrov street leaks." if public else "Private matter.",
            "lat": "52.2871", "long": "76.9674",
            "attribute[public]": "true" if public else "false",
            "attribute[session]": resident,
        })
        check(isinstance(r, list) and r and r[0].get("service_request_id"), f"POST: {r}")
        has(r[0], SPEC_CREATED, "POST answer", check)
        ids[public] = r[0]["service_request_id"]
    public_id, private_id = ids[True], ids[False]
    answer = demo.api("POST", "/v1/actions/appeal.register", {"appeal_id": public_id}, official)
    check(answer.get("status") == "accepted", f"register: {answer}")
    answer = demo.api("POST", "/v1/actions/appeal.answer",
                      {"appeal_id": public_id, "answer": "The roof was repaired."}, official)
    check(answer.get("status") == "accepted", f"answer: {answer}")

    # An anonymous POST (a key, no resident) is refused clearly.
    try:
        poster.post_service_request(service_code="pvl-akimat.complaint", description="anonymous")
        check(False, "an anonymous POST was accepted")
    except urllib.error.HTTPError as e:
        # The answer says how to sign the resident in (in the language asked for).
        check(e.code == 403 and b"/v1/auth/otp" in e.read(), f"anonymous POST: {e.code}")

    for fmt in ("json", "xml"):
        g = GeoReport(endpoint, output_format=fmt)
        services = one(g.get_service_list())
        check(any(s["service_code"] == "pvl-akimat.complaint" for s in services), f"{fmt}: services")
        has(services[0], SPEC_SERVICE, f"{fmt} service", check)
        d = g.get_service_definition("pvl-akimat.complaint")
        has(d, SPEC_DEFINITION, f"{fmt} service definition", check)
        attrs = one(d["attributes"]["attribute"] if fmt == "xml" else d["attributes"])
        has(attrs[0], SPEC_ATTRIBUTE, f"{fmt} attribute", check)
        reqs = one(g.get_service_requests())
        listed = {r["service_request_id"] for r in reqs}
        check(public_id in listed, f"{fmt}: the public appeal is not listed")
        check(private_id not in listed, f"{fmt}: a private appeal is listed")
        mine = g.get_service_request(public_id)
        has(mine, SPEC_REQUEST - {"expected_datetime"}, f"{fmt} request", check)
        check(mine["status"] == "closed" and mine["status_notes"] == "The roof was repaired.",
              f"{fmt}: {mine}")
        check(mine["agency_responsible"], f"{fmt}: no agency")
        try:
            g.get_service_request(private_id)
            check(False, f"{fmt}: a private appeal answered by id")
        except Exception as e:
            check("404" in str(e), f"{fmt}: private by id: {e}")
        filtered = one(g.get_service_requests(service_request_id=f"{public_id},{private_id}"))
        check([r["service_request_id"] for r in filtered] == [public_id], f"{fmt}: filtered {filtered}")

    reader = Open311(endpoint=endpoint, format="json")
    listed = {r["service_request_id"] for r in reader.call_api("requests.json")}
    check(public_id in listed and private_id not in listed, "open311: requests")
    svc = reader.call_api("services.json")
    check(any(s["service_code"] == "pvl-akimat.complaint" for s in svc), "open311: services")
    one_req = reader.get_service_request(public_id)
    check(one_req[0]["service_request_id"] == public_id, f"open311: one request {one_req}")
    token = reader.call_api(f"tokens/{public_id}.json")
    check(token[0]["service_request_id"] == public_id, f"open311: token {token}")
